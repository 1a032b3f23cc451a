// Fused GRU over a whole sequence, forward and hand-written BPTT backward side by side.
// Keras layout, gates z (update), r (reset), h (candidate): kernel [In,3H], recurrentKernel [H,3H].
//   resetAfter = true (PyTorch/cuDNN placement), bias [2,3H] = (input bias, recurrent bias):
//     n = tanh(x·Wh + bh_in + r ⊙ (h·Uh + bh_rec))
//   resetAfter = false (Cho et al. 2014), bias [3H]:
//     n = tanh(x·Wh + bh + (r ⊙ h)·Uh)
//   h_t = z ⊙ h_{t-1} + (1 − z) ⊙ n
import * as tf from '@tensorflow/tfjs-core';
import {
  type InputRows,
  type RecurrentOptions,
  batchMajorRows,
  checkShapes,
  droppedState,
  enterStepGrad,
  inputGrad,
  inputRows,
  lazy,
  pooledCopy,
  oneHotKernelGrad,
  readFloats,
  gradWithBias,
  runFused,
  stepAt,
  storeStep,
  toTimeMajor,
  viewFloats,
} from './sequence.js';
import { Scratch } from './scratch.js';
import { type StepKernel, stepProduct, stepSigmoidKernel } from './stepKernels.js';
import { gruBackwardOnWasm, gruForwardOnWasm, gruOnWasm } from './gruOnWasm.js';

export interface GruWeights {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  /** [2,3H] when resetAfter, else [3H]. */
  bias: tf.Tensor;
}

export interface GruResult {
  sequence: tf.Tensor3D;
  h: tf.Tensor2D;
}

export const GRU_GATES = ['update', 'reset', 'candidate'];

export function gruSequence(
  x: tf.Tensor3D,
  w: GruWeights,
  resetAfter: boolean,
  init: { h?: tf.Tensor2D } = {},
  options: RecurrentOptions = {},
): GruResult {
  const [B] = x.shape;
  const H = w.recurrentKernel.shape[0];
  checkShapes('gru', x, w.kernel, w.recurrentKernel, 3 * H);
  const biasShape = resetAfter ? `2,${3 * H}` : `${3 * H}`;
  if (w.bias.shape.join(',') !== biasShape)
    throw new Error(`gru: bias must be [${biasShape}] with resetAfter=${resetAfter}, got [${w.bias.shape}]`);
  const h0 = init.h ?? tf.zeros([B, H]);
  const inputs: tf.Tensor[] = [x, w.kernel, w.recurrentKernel, w.bias, h0];
  if (options.tap) inputs.push(options.tap);
  const [sequence, h] = runFused(inputs, (save) => gruForward(inputs, save, resetAfter, options));
  if (!init.h) h0.dispose();
  return { sequence: sequence as tf.Tensor3D, h: h as tf.Tensor2D };
}

/** What one step's loops read and write; records are time-major (row t*B + b). */
export interface GruState {
  B: number;
  T: number;
  H: number;
  mask: Float32Array | null;
  drop: Float32Array | null;
  /** x·W + input bias (+ the recurrent bias of z and r, resetAfter: it adds the same way). */
  xr: InputRows;
  /** bh_rec, resetAfter only (its candidate third is multiplied by r, so it stays separate). */
  recBias: Float32Array | null;
  /** z, r, n after their nonlinearities. */
  acts: Float32Array;
  /** h·Uh + bh_rec per step (resetAfter only), needed for dr. */
  huH: Float32Array | null;
  /** h_{t-1} (before dropout): the update gate mixes it in. */
  hPrev: Float32Array;
}

function gruForward(
  args: tf.Tensor[],
  save: (ts: tf.Tensor[]) => void,
  resetAfter: boolean,
  opt: RecurrentOptions,
) {
  const [x, kernel, recurrent, biasT, h0T] = args as [
    tf.Tensor3D,
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor,
    tf.Tensor,
  ];
  const tap = args.length > 5 ? viewFloats(args[5]!) : null; // zero taps for ∂loss/∂h_t
  save([x, kernel, recurrent]);
  const [B, T, In] = x.shape;
  const H = recurrent.shape[0];
  const G = 3 * H;
  const N = B * T;
  const ids = opt.oneHotIds ?? null;
  const bias = viewFloats(biasT);
  const rowBias = Float32Array.from(bias.subarray(0, G));
  if (resetAfter) for (let j = 0; j < 2 * H; j++) rowBias[j]! += bias[G + j]!;
  // Per-step records from the scratch pool, in three groups by last reader (backprop asks for the inputs'
  // gradients in input order: dX, kernel, recurrent kernel, bias). Rows a padded step never writes start
  // zeroed when there is a mask.
  const zeroed = { zeroed: !!opt.mask };
  const records = new Scratch('GRU gate records'); // read by the BPTT loop
  const recurrentRecords = new Scratch('GRU states and recurrent gradients'); // last read by dU
  const inputRecords = new Scratch('GRU input-side gradients'); // last read by the bias gradient
  const st: GruState = {
    B,
    T,
    H,
    mask: opt.mask ?? null,
    drop: opt.recurrentDropMask ?? null,
    xr: inputRows(x, kernel, rowBias, ids),
    recBias: resetAfter ? bias.subarray(G, 2 * G) : null,
    acts: records.take(N * G, zeroed),
    huH: resetAfter ? records.take(N * H, zeroed) : null,
    hPrev: records.take(N * H),
  };
  const hinRows = recurrentRecords.take(N * H); // h_{t-1} after recurrent dropout, for dU
  // r ⊙ h_{t-1}, for the Cho candidate's dU
  const rhRows = resetAfter ? null : recurrentRecords.take(N * H);
  const seq = new Float32Array(N * H);
  const h = readFloats(h0T);
  // Candidate's recurrent kernel alone, for the second product of the Cho placement.
  const uH = resetAfter ? null : (tf.slice(recurrent, [0, 2 * H], [H, H]) as tf.Tensor2D);
  const product = stepProduct(B, H, recurrent);
  const candidateProduct = uH ? stepProduct(B, H, uH) : null;
  const onWasm = resetAfter ? gruOnWasm(H) : null;
  if (onWasm) gruForwardOnWasm(onWasm, st, product, { hinRows, seq, h }, tap, opt.goBackwards);
  else gruForwardLoop(st, { product, candidateProduct }, { hinRows, rhRows, seq, h }, tap, opt.goBackwards);
  product.dispose();
  candidateProduct?.dispose();
  uH?.dispose();
  st.xr.release();
  if (opt.recorder) {
    opt.recorder.gates = batchMajorRows(st.acts, T, B, G);
    opt.recorder.gateShape = [B, T, G];
  }

  const backward = (dys: tf.Tensor[], saved: tf.Tensor[]) => {
    const [xs, ks, us] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
    // The time loop runs once, on the first gradient backprop asks for; each input's gradient is a thunk.
    const bptt = lazy(() => {
      records.check();
      const dSeq = pooledCopy(dys[0]!, records); // read by the loop only: back to the pool with them
      const dh = readFloats(dys[1]!);
      // The forward's slice of Uh was freed with the forward's scope; take it again from the saved kernel.
      const uHAgain = resetAfter ? null : (tf.slice(us, [0, 2 * H], [H, H]) as tf.Tensor2D);
      const dXP = inputRecords.take(N * G, zeroed); // gradient of the input projection (and input bias)
      // gradient of h·U (z, r parts; candidate part for resetAfter)
      const dHU = recurrentRecords.take(N * G);
      // The candidate's pre-activation gradient, for (r⊙h)ᵀ·dAN.
      const dAN = resetAfter ? null : recurrentRecords.take(N * H);
      const norms = opt.recorder ? new Float32Array(T) : null;
      const dTap = tap ? new Float32Array(N * H) : null;
      // Products by Uᵀ and Uhᵀ, packed from U and Uh as they are.
      const product = stepProduct(B, G, us, true);
      const candidateProduct = uHAgain ? stepProduct(B, H, uHAgain, true) : null;
      if (onWasm)
        gruBackwardOnWasm(onWasm, st, product, { dh, dSeq, dXP, dHU }, { norms, dTap }, opt.goBackwards);
      else
        gruBackwardLoop(
          st,
          { product, candidateProduct },
          { dh, dSeq, dXP, dHU, dAN, hinRows },
          { norms, dTap },
          opt.goBackwards,
        );
      product.dispose();
      candidateProduct?.dispose();
      uHAgain?.dispose();
      if (opt.recorder && norms) opt.recorder.stateGradNorms = norms;
      records.release();
      return { dXP, dHU, dAN, dh, dTap };
    });
    // dKernel and the input bias from dXP; dRecurrentKernel and the recurrent bias from dHU.
    const inputSide = lazy(() => {
      inputRecords.check();
      const rows = ids ? null : (tf.tidy(() => tf.reshape(toTimeMajor(xs), [N, In])) as tf.Tensor2D);
      const r = gradWithBias(rows, bptt().dXP, G);
      rows?.dispose();
      return r;
    });
    const recurrentSide = lazy(() => {
      recurrentRecords.check();
      return gradWithBias(hinRows, bptt().dHU, G);
    });
    const kernelGrad = () => {
      inputRecords.check();
      return ids
        ? oneHotKernelGrad(ids, bptt().dXP, { B, T, In, G })
        : tf.tensor2d(inputSide().weight, [In, G]);
    };
    const recurrentGrad = () => {
      recurrentRecords.check();
      const dU = Float32Array.from(recurrentSide().weight);
      if (rhRows) {
        // Cho placement: the candidate's columns come from (r⊙h)ᵀ·dAN.
        const dUh = gradWithBias(rhRows, bptt().dAN!, H).weight;
        for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) dU[i * G + 2 * H + j]! += dUh[i * H + j]!;
      }
      recurrentRecords.release();
      return tf.tensor2d(dU, [H, G]);
    };
    const biasGrad = () => {
      const grad = resetAfter
        ? tf.tensor2d([...inputSide().bias, ...recurrentSide().bias], [2, G])
        : tf.tensor1d(inputSide().bias);
      inputRecords.release();
      return grad;
    };
    const grads = [
      () => {
        inputRecords.check();
        return inputGrad(xs, ks, bptt().dXP);
      },
      kernelGrad,
      recurrentGrad,
      biasGrad,
      () => tf.tensor2d(bptt().dh, [B, H]),
    ];
    if (tap) grads.push(() => tf.tensor3d(bptt().dTap!, [B, T, H]));
    return grads;
  };
  return { values: [tf.tensor3d(seq, [B, T, H]), tf.tensor2d(h, [B, H])], backward };
}

/** The forward time loop in JS (any backend; the Cho placement everywhere): fills the same records. */
function gruForwardLoop(
  st: GruState,
  products: { product: StepKernel; candidateProduct: StepKernel | null },
  out: { hinRows: Float32Array; rhRows: Float32Array | null; seq: Float32Array; h: Float32Array },
  tap: Float32Array | null,
  goBackwards: boolean | undefined,
): void {
  const { B, T, H } = st;
  const { product, candidateProduct } = products;
  const { hinRows, rhRows, seq, h } = out;
  // Gate nonlinearities as two backend sigmoid calls per step (wasm: XNNPACK, cheaper than Math.exp in
  // JS): one for the update and reset gates, one for the candidate via tanh(a) = 2σ(2a) − 1.
  const gateSigmoid = stepSigmoidKernel(B * 2 * H);
  const candidateSigmoid = stepSigmoidKernel(B * H);
  for (let s = 0; s < T; s++) {
    const t = stepAt(s, T, goBackwards);
    const hin = product.input();
    droppedState(hin, h, st.drop);
    hinRows.set(hin, t * B * H);
    st.hPrev.set(h, t * B * H);
    // A run may grow wasm memory, which detaches older views: the product runs before the sigmoid's input
    // view is taken, and hu is read before the sigmoid runs.
    const hu = product.run();
    gruGatePreActivations(gateSigmoid.input(), hu, st, t);
    const sg = gateSigmoid.run();
    let rhU: Float32Array | null = null;
    if (candidateProduct) {
      const rh = candidateProduct.input();
      gruGates(sg, hinRows, rh, st, t);
      rhRows!.set(rh, t * B * H);
      rhU = candidateProduct.run();
    } else gruGates(sg, hinRows, null, st, t);
    gruCandidatePreActivations(candidateSigmoid.input(), rhU, st, t);
    gruStateStep(candidateSigmoid.run(), h, st, t);
    if (tap)
      for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) h[b * H + j]! += tap[(b * T + t) * H + j]!;
    storeStep(seq, h, t, B, T, H);
  }
  gateSigmoid.dispose();
  candidateSigmoid.dispose();
}

/** The BPTT loop in JS (any backend; the Cho placement everywhere): writes the same records. */
function gruBackwardLoop(
  st: GruState,
  products: { product: StepKernel; candidateProduct: StepKernel | null },
  io: {
    dh: Float32Array;
    dSeq: Float32Array;
    dXP: Float32Array;
    dHU: Float32Array;
    dAN: Float32Array | null;
    hinRows: Float32Array;
  },
  telemetry: { norms: Float32Array | null; dTap: Float32Array | null },
  goBackwards: boolean | undefined,
): void {
  const { B, T, H } = st;
  const G = 3 * H;
  const { product, candidateProduct } = products;
  const { dh, dSeq, dXP, dHU, dAN, hinRows } = io;
  for (let s = T - 1; s >= 0; s--) {
    const t = stepAt(s, T, goBackwards);
    enterStepGrad(dh, dSeq, { B, T, H }, t, telemetry.norms, telemetry.dTap);
    let dHUstep = product.input();
    if (candidateProduct) {
      // Cho placement: the reset gate's gradient needs (r⊙h)'s gradient first, one more product.
      gruGateGrads(dHUstep, candidateProduct.input(), dXP, dh, st, t);
      dAN!.set(candidateProduct.input(), t * B * H);
      const dRh = candidateProduct.run();
      dHUstep = product.input(); // a run may grow wasm memory, which detaches older views
      gruChoResetGrads(dRh, dHUstep, dXP, hinRows, st, t);
    } else gruGateGrads(dHUstep, null, dXP, dh, st, t);
    dHU.set(dHUstep, t * B * G);
    const dhU = product.run();
    // The run may have grown wasm memory: (r⊙h)'s gradient is read again through a fresh view.
    gruPassStateGrad(dh, dhU, candidateProduct ? candidateProduct.output() : null, st, t);
  }
}

// The per-step loops are top-level functions with everything passed in: V8 optimises each once.

/** Update and reset gates' pre-activations [B,2H] for step t; resetAfter: keeps h·Uh + bh_rec for later. */
function gruGatePreActivations(zr: Float32Array, hu: Float32Array, st: GruState, t: number): void {
  const { B, H, xr, huH, recBias } = st;
  const G = 3 * H;
  const xd = xr.data;
  for (let b = 0; b < B; b++) {
    const xo = xr.offset(t, b);
    const uo = b * G;
    const vo = b * 2 * H;
    for (let j = 0; j < 2 * H; j++) zr[vo + j] = xd[xo + j]! + hu[uo + j]!;
    if (huH) {
      const ro = (t * B + b) * H;
      for (let j = 0; j < H; j++) huH[ro + j] = hu[uo + 2 * H + j]! + recBias![2 * H + j]!;
    }
  }
}

/** Stores z and r; Cho: r ⊙ h_{t-1} into rh for the candidate product. */
function gruGates(
  sg: Float32Array,
  hinRows: Float32Array,
  rh: Float32Array | null,
  st: GruState,
  t: number,
): void {
  const { B, T, H, mask, acts } = st;
  const G = 3 * H;
  for (let b = 0; b < B; b++) {
    const ro = (t * B + b) * H;
    if (mask && mask[b * T + t]! <= 0) {
      if (rh) rh.fill(0, b * H, b * H + H);
      continue;
    }
    const ao = (t * B + b) * G;
    const vo = b * 2 * H;
    for (let j = 0; j < H; j++) {
      const rg = sg[vo + H + j]!;
      acts[ao + j] = sg[vo + j]!;
      acts[ao + H + j] = rg;
      if (rh) rh[b * H + j] = rg * hinRows[ro + j]!;
    }
  }
}

/** The candidate's pre-activation, doubled (tanh through the sigmoid). */
function gruCandidatePreActivations(
  a2: Float32Array,
  rhU: Float32Array | null,
  st: GruState,
  t: number,
): void {
  const { B, T, H, mask, acts, huH, xr } = st;
  const G = 3 * H;
  const xd = xr.data;
  for (let b = 0; b < B; b++) {
    if (mask && mask[b * T + t]! <= 0) continue;
    const xo = xr.offset(t, b) + 2 * H;
    const ao = (t * B + b) * G;
    const ro = (t * B + b) * H;
    const hb = b * H;
    for (let j = 0; j < H; j++) {
      const pre = rhU ? rhU[hb + j]! : acts[ao + H + j]! * huH![ro + j]!;
      a2[hb + j] = 2 * (xd[xo + j]! + pre);
    }
  }
}

/** n from its sigmoid and h_t = z ⊙ h_{t-1} + (1 − z) ⊙ n; a padded step keeps h. */
function gruStateStep(sn: Float32Array, h: Float32Array, st: GruState, t: number): void {
  const { B, T, H, mask, acts } = st;
  const G = 3 * H;
  for (let b = 0; b < B; b++) {
    if (mask && mask[b * T + t]! <= 0) continue;
    const ao = (t * B + b) * G;
    const hb = b * H;
    for (let j = 0; j < H; j++) {
      const zg = acts[ao + j]!;
      const n = 2 * sn[hb + j]! - 1;
      acts[ao + 2 * H + j] = n;
      h[hb + j] = zg * h[hb + j]! + (1 - zg) * n;
    }
  }
}

/**
 * Gradients at step t of the input projection (dXP, time-major, all three gates except the Cho reset
 * gate) and of h·U (dHUstep; zero rows where padded). Cho: the candidate's pre-activation gradient goes
 * to danStep for the (r⊙h) product.
 */
function gruGateGrads(
  dHUstep: Float32Array,
  danStep: Float32Array | null,
  dXP: Float32Array,
  dh: Float32Array,
  st: GruState,
  t: number,
): void {
  const { B, T, H, mask, acts, huH, hPrev } = st;
  const G = 3 * H;
  for (let b = 0; b < B; b++) {
    const so = b * G;
    if (mask && mask[b * T + t]! <= 0) {
      dHUstep.fill(0, so, so + G);
      if (danStep) danStep.fill(0, b * H, b * H + H);
      continue;
    }
    const ao = (t * B + b) * G;
    const ro = (t * B + b) * H;
    for (let j = 0; j < H; j++) {
      const zg = acts[ao + j]!,
        rg = acts[ao + H + j]!,
        n = acts[ao + 2 * H + j]!;
      const dhj = dh[b * H + j]!;
      const dan = dhj * (1 - zg) * (1 - n * n);
      const daz = dhj * (hPrev[ro + j]! - n) * zg * (1 - zg);
      dXP[ao + j] = daz;
      dXP[ao + 2 * H + j] = dan;
      dHUstep[so + j] = daz;
      if (huH) {
        const dar = dan * huH[ro + j]! * rg * (1 - rg);
        dXP[ao + H + j] = dar;
        dHUstep[so + H + j] = dar;
        dHUstep[so + 2 * H + j] = dan * rg;
      } else {
        dHUstep[so + 2 * H + j] = 0;
        danStep![b * H + j] = dan;
      }
    }
  }
}

/** Cho placement: the reset gate's gradient from (r⊙h)'s gradient dRh. */
function gruChoResetGrads(
  dRh: Float32Array,
  dHUstep: Float32Array,
  dXP: Float32Array,
  hinRows: Float32Array,
  st: GruState,
  t: number,
): void {
  const { B, T, H, mask, acts } = st;
  const G = 3 * H;
  for (let b = 0; b < B; b++) {
    if (mask && mask[b * T + t]! <= 0) continue;
    const ao = (t * B + b) * G;
    const ro = (t * B + b) * H;
    for (let j = 0; j < H; j++) {
      const rg = acts[ao + H + j]!;
      const dar = dRh[b * H + j]! * hinRows[ro + j]! * rg * (1 - rg);
      dXP[ao + H + j] = dar;
      dHUstep[b * G + H + j] = dar;
    }
  }
}

/** ∂loss/∂h_{t-1}: through the update gate's mix, the recurrent product(s) and the dropout mask. */
function gruPassStateGrad(
  dh: Float32Array,
  dhU: Float32Array,
  dRh: Float32Array | null,
  st: GruState,
  t: number,
): void {
  const { B, T, H, mask, acts, drop } = st;
  const G = 3 * H;
  for (let b = 0; b < B; b++) {
    if (mask && mask[b * T + t]! <= 0) continue;
    const ao = (t * B + b) * G;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      let dhin = dhU[k]!;
      if (dRh) dhin += dRh[k]! * acts[ao + H + j]!;
      dh[k] = dh[k]! * acts[ao + j]! + (drop ? dhin * drop[k]! : dhin);
    }
  }
}
