// The fused GRU's time loops (reset-after placement) with each step's gate arithmetic in one wasm call
// (core/engine/wasm/gruSteps.ts) instead of JS loops and two sigmoid calls: the step's rows are copied
// into a staging area of wasm memory, the kernel runs there next to the recurrent product's input and
// output, and its results are copied out into the same records the JS loops write (gru.ts), so the
// backward pass, the gradients of the weights and the recorder read the same thing on either path.
//
// Why: on the JS path these loops were about a fifth of a cls-gru step's CPU samples. The copies are
// plain memory moves (one or a few per record per step).
//
// Views of wasm memory are taken after each call that may grow it (the product's run) and never kept.
import { wasmGruSteps, type GruSteps } from '../wasm/gruSteps.js';
import type { GruState } from './gru.js';
import { droppedState, enterStepGrad, stepAt, storeStep } from './sequence.js';
import { type GateKernelsOnWasm, gateKernelsOnWasm, stageMask, staging } from './stagingArea.js';
import type { StepKernel } from './stepKernels.js';

export type GruOnWasm = GateKernelsOnWasm<GruSteps>;

/** The wasm kernels when the fast path runs on wasm and takes this hidden size, else null (JS loops). */
export const gruOnWasm = (H: number): GruOnWasm | null => gateKernelsOnWasm(H, wasmGruSteps);

/**
 * The forward time loop: fills the records of `st` (gates, hn, h_{t-1}), `hinRows` (the product's inputs)
 * and `seq` (batch-major states); `h` holds h_0 on entry and h_T on return. `product` is h·U [B,3H].
 */
export function gruForwardOnWasm(
  on: GruOnWasm,
  st: GruState,
  product: StepKernel,
  out: { hinRows: Float32Array; seq: Float32Array; h: Float32Array },
  tap: Float32Array | null,
  goBackwards: boolean | undefined,
): void {
  const { wasm, kernels } = on;
  const { B, T, H, xr, drop, acts, huH, hPrev } = st;
  const G = 3 * H;
  const BH = B * H;
  const stage = staging(wasm, { xr: B * G, gates: B * G, h: BH, hn: BH, bn: H, mask: B });
  const at = stage.at;
  let heap = wasm.heapF32();
  heap.set(out.h, at.h);
  heap.set(st.recBias!.subarray(2 * H, 3 * H), at.bn);
  for (let s = 0; s < T; s++) {
    const t = stepAt(s, T, goBackwards);
    heap = wasm.heapF32();
    const hin = product.input();
    const hv = heap.subarray(at.h, at.h + BH);
    droppedState(hin, hv, drop);
    out.hinRows.set(hin, t * BH);
    hPrev.set(hv, t * BH);
    const hu = product.run().byteOffset;
    heap = wasm.heapF32();
    xr.copyStep(t, heap, at.xr);
    const mask = stageMask(heap, st.mask, B, T, t, at.mask);
    kernels.forward(hu, at.xr * 4, at.bn * 4, at.h * 4, at.gates * 4, at.hn * 4, mask, B, H);
    acts.set(heap.subarray(at.gates, at.gates + B * G), t * B * G);
    huH!.set(heap.subarray(at.hn, at.hn + BH), t * BH);
    const h = heap.subarray(at.h, at.h + BH);
    if (tap)
      for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) h[b * H + j]! += tap[(b * T + t) * H + j]!;
    storeStep(out.seq, h, t, B, T, H);
  }
  out.h.set(wasm.heapF32().subarray(at.h, at.h + BH));
  stage.dispose();
}

/**
 * The BPTT loop: from `dh` (∂loss/∂h_T on entry, ∂loss/∂h_0 on return) and the output gradient `dSeq`,
 * writes dXP (the input projection's gradient) and dHU (the recurrent product's inputs), both time-major
 * [N,3H], and the per-step norms and tap gradients when asked. `product` is dG·Uᵀ [B,H].
 */
export function gruBackwardOnWasm(
  on: GruOnWasm,
  st: GruState,
  product: StepKernel,
  io: { dh: Float32Array; dSeq: Float32Array; dXP: Float32Array; dHU: Float32Array },
  telemetry: { norms: Float32Array | null; dTap: Float32Array | null },
  goBackwards: boolean | undefined,
): void {
  const { wasm, kernels } = on;
  const { B, T, H, drop, acts, huH, hPrev } = st;
  const G = 3 * H;
  const BH = B * H;
  const sizes = { gates: B * G, hn: BH, hp: BH, dh: BH, dxp: B * G, drop: drop ? BH : 0, mask: B };
  const stage = staging(wasm, sizes);
  const at = stage.at;
  let heap = wasm.heapF32();
  heap.set(io.dh, at.dh);
  if (drop) heap.set(drop, at.drop);
  const dropAt = drop ? at.drop * 4 : 0;
  for (let s = T - 1; s >= 0; s--) {
    const t = stepAt(s, T, goBackwards);
    heap = wasm.heapF32();
    enterStepGrad(heap.subarray(at.dh, at.dh + BH), io.dSeq, { B, T, H }, t, telemetry.norms, telemetry.dTap);
    heap.set(acts.subarray(t * B * G, (t + 1) * B * G), at.gates);
    heap.set(huH!.subarray(t * BH, (t + 1) * BH), at.hn);
    heap.set(hPrev.subarray(t * BH, (t + 1) * BH), at.hp);
    const mask = stageMask(heap, st.mask, B, T, t, at.mask);
    const dhu = product.input();
    kernels.backward(at.gates * 4, at.hn * 4, at.hp * 4, at.dh * 4, at.dxp * 4, dhu.byteOffset, mask, B, H);
    io.dXP.set(heap.subarray(at.dxp, at.dxp + B * G), t * B * G);
    io.dHU.set(dhu, t * B * G);
    const dhU = product.run().byteOffset;
    kernels.passState(at.dh * 4, dhU, at.gates * 4, dropAt, mask, B, H);
  }
  io.dh.set(wasm.heapF32().subarray(at.dh, at.dh + BH));
  stage.dispose();
}
