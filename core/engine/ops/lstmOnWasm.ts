// The fused LSTM's time loops with each step's gate arithmetic in one wasm call
// (core/engine/wasm/lstmSteps.ts) instead of JS loops and two sigmoid calls: the step's rows are copied
// into a staging area of wasm memory, the kernel runs there next to the recurrent product's input and
// output, and its results are copied out into the same records the JS loops write (lstm.ts), so the
// backward pass, the weight gradients and the recorder read the same thing on either path.
//
// Views of wasm memory are taken after each call that may grow it (the product's run) and never kept.
import { wasmLstmSteps, type LstmSteps } from '../wasm/lstmSteps.js';
import { type InputRows, droppedState, stepAt, storeStep } from './sequence.js';
import { type GateKernelsOnWasm, gateKernelsOnWasm, stageMask, staging } from './stagingArea.js';
import type { StepKernel } from './stepKernels.js';

export type LstmOnWasm = GateKernelsOnWasm<LstmSteps>;

/** The wasm kernels when the fast path runs on wasm and takes this hidden size, else null (JS loops). */
export const lstmOnWasm = (H: number): LstmOnWasm | null => gateKernelsOnWasm(H, wasmLstmSteps);

/** What both loops read and write; records are time-major (row t*B + b). */
export interface LstmRecords {
  B: number;
  T: number;
  H: number;
  mask: Float32Array | null;
  /** i, f, g, o after their nonlinearities [N,4H]. */
  acts: Float32Array;
  cPrev: Float32Array;
  tanhC: Float32Array;
}

/** What a forward time loop reads besides the records: the recurrent product, input rows, dropout mask. */
export interface LstmStepInputs {
  product: StepKernel;
  xr: InputRows;
  drop: Float32Array | null;
}

/** What a forward time loop writes besides the records (`h` and `c` also hold the initial states). */
export interface LstmLoopOutputs {
  hPrev: Float32Array;
  seq: Float32Array;
  h: Float32Array;
  c: Float32Array;
}

/**
 * The forward time loop: fills the records, `hPrev` (the product's inputs) and `seq` (batch-major
 * states); `h` and `c` hold the initial states on entry and the final ones on return.
 */
export function lstmForwardOnWasm(
  on: LstmOnWasm,
  r: LstmRecords,
  step: LstmStepInputs,
  out: LstmLoopOutputs,
  tap: Float32Array | null,
  goBackwards: boolean | undefined,
): void {
  const { wasm, kernels } = on;
  const { B, T, H } = r;
  const G = 4 * H;
  const BH = B * H;
  const { product, xr, drop } = step;
  const stage = staging(wasm, { xr: B * G, gates: B * G, h: BH, c: BH, cp: BH, tc: BH, mask: B });
  const at = stage.at;
  let heap = wasm.heapF32();
  heap.set(out.h, at.h);
  heap.set(out.c, at.c);
  for (let s = 0; s < T; s++) {
    const t = stepAt(s, T, goBackwards);
    heap = wasm.heapF32();
    const hin = product.input();
    droppedState(hin, heap.subarray(at.h, at.h + BH), drop);
    out.hPrev.set(hin, t * BH);
    const hu = product.run().byteOffset;
    heap = wasm.heapF32();
    xr.copyStep(t, heap, at.xr);
    const mask = stageMask(heap, r.mask, B, T, t, at.mask);
    kernels.forward(hu, at.xr * 4, at.h * 4, at.c * 4, at.gates * 4, at.cp * 4, at.tc * 4, mask, B, H);
    r.acts.set(heap.subarray(at.gates, at.gates + B * G), t * B * G);
    r.cPrev.set(heap.subarray(at.cp, at.cp + BH), t * BH);
    r.tanhC.set(heap.subarray(at.tc, at.tc + BH), t * BH);
    const h = heap.subarray(at.h, at.h + BH);
    if (tap)
      for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) h[b * H + j]! += tap[(b * T + t) * H + j]!;
    storeStep(out.seq, h, t, B, T, H);
  }
  heap = wasm.heapF32();
  out.h.set(heap.subarray(at.h, at.h + BH));
  out.c.set(heap.subarray(at.c, at.c + BH));
  stage.dispose();
}

/**
 * The gate-gradient step of the BPTT loop (`bpttLoop` in sequence.ts) on wasm: `gateGrads` writes step
 * t's gate gradients into the product's input from dh and the records, and carries ∂loss/∂c (held in
 * wasm memory from `dc`'s values); `finish` copies ∂loss/∂c_0 back into `dc` and frees the staging area.
 */
export function lstmGateGradsOnWasm(
  on: LstmOnWasm,
  r: LstmRecords,
  dh: Float32Array,
  dc: Float32Array,
): { gateGrads: (dGstep: Float32Array, t: number) => void; finish: () => void } {
  const { wasm, kernels } = on;
  const { B, T, H } = r;
  const G = 4 * H;
  const BH = B * H;
  const stage = staging(wasm, { gates: B * G, tc: BH, cp: BH, dh: BH, dc: BH, mask: B });
  const at = stage.at;
  wasm.heapF32().set(dc, at.dc);
  return {
    gateGrads: (dGstep, t) => {
      const heap = wasm.heapF32();
      heap.set(dh, at.dh);
      heap.set(r.acts.subarray(t * B * G, (t + 1) * B * G), at.gates);
      heap.set(r.tanhC.subarray(t * BH, (t + 1) * BH), at.tc);
      heap.set(r.cPrev.subarray(t * BH, (t + 1) * BH), at.cp);
      const mask = stageMask(heap, r.mask, B, T, t, at.mask);
      kernels.backward(
        at.gates * 4,
        at.tc * 4,
        at.cp * 4,
        at.dh * 4,
        at.dc * 4,
        dGstep.byteOffset,
        mask,
        B,
        H,
      );
    },
    finish: () => {
      dc.set(wasm.heapF32().subarray(at.dc, at.dc + BH));
      stage.dispose();
    },
  };
}
