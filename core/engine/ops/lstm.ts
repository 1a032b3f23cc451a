// Fused LSTM over a whole sequence, forward and hand-written BPTT backward side by side.
// Keras layout and gate order: kernel [In,4H], recurrentKernel [H,4H], bias [4H], gates i, f, c, o.
//   i = σ(x·Wi + h·Ui + bi)   f = σ(…)   g = tanh(…)   o = σ(…)
//   c_t = f⊙c_{t-1} + i⊙g     h_t = o⊙tanh(c_t)
import * as tf from '@tensorflow/tfjs-core';
import {
  type InputRows,
  type RecurrentOptions,
  batchMajorRows,
  checkShapes,
  droppedState,
  bpttLoop,
  inputGrad,
  inputRows,
  lazy,
  pooledCopy,
  readFloats,
  runFused,
  stepAt,
  storeStep,
  viewFloats,
  weightGrads,
} from './sequence.js';
import { Scratch } from './scratch.js';
import { stepProduct, stepSigmoidKernel } from './stepKernels.js';
import {
  type LstmLoopOutputs,
  type LstmRecords,
  type LstmStepInputs,
  lstmForwardOnWasm,
  lstmGateGradsOnWasm,
  lstmOnWasm,
} from './lstmOnWasm.js';

export interface LstmWeights {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor1D;
}

export interface LstmResult {
  /** [B,T,H] hidden state at every step (a padded step repeats the previous one). */
  sequence: tf.Tensor3D;
  /** Final states after the last real step, [B,H]. */
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

export const LSTM_GATES = ['input', 'forget', 'cell', 'output'];

export function lstmSequence(
  x: tf.Tensor3D,
  w: LstmWeights,
  init: { h?: tf.Tensor2D; c?: tf.Tensor2D } = {},
  options: RecurrentOptions = {},
): LstmResult {
  const [B] = x.shape;
  const H = w.recurrentKernel.shape[0];
  checkShapes('lstm', x, w.kernel, w.recurrentKernel, 4 * H);
  const h0 = init.h ?? tf.zeros([B, H]);
  const c0 = init.c ?? tf.zeros([B, H]);
  const inputs: tf.Tensor[] = [x, w.kernel, w.recurrentKernel, w.bias, h0, c0];
  if (options.tap) inputs.push(options.tap);
  const [sequence, h, c] = runFused(inputs, (save) => lstmForward(inputs, save, options));
  if (!init.h) h0.dispose();
  if (!init.c) c0.dispose();
  return { sequence: sequence as tf.Tensor3D, h: h as tf.Tensor2D, c: c as tf.Tensor2D };
}

/** Forward over all steps: outputs (sequence, final h, final c) and the backward pass. */
function lstmForward(args: tf.Tensor[], save: (ts: tf.Tensor[]) => void, opt: RecurrentOptions) {
  const [x, kernel, recurrent, biasT, h0T, c0T] = args as [
    tf.Tensor3D,
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
  const tap = args.length > 6 ? viewFloats(args[6]!) : null; // zero taps for ∂loss/∂h_t
  save([x, kernel, recurrent]);
  const [B, T, In] = x.shape;
  const H = recurrent.shape[0];
  const G = 4 * H;
  const N = B * T;
  const mask = opt.mask ?? null;
  const drop = opt.recurrentDropMask ?? null;
  const ids = opt.oneHotIds ?? null;
  const xr = inputRows(x, kernel, viewFloats(biasT), ids);
  // Per-step records for BPTT, time-major (row t*B + b), from the scratch pool: the gate records are read
  // only by the BPTT loop, h_{t-1} and dG last by the weight gradients (backprop asks for the inputs'
  // gradients in input order, so dX and the kernel's come first). Padded rows of the gate records are
  // never written, so they start zeroed when there is a mask (the gates view reads them).
  const records = new Scratch('LSTM gate records');
  const acts = records.take(N * G, { zeroed: !!mask }); // i, f, g, o after nonlinearity
  const cPrev = records.take(N * H);
  const tanhC = records.take(N * H);
  const stateAndGrads = new Scratch('LSTM states and gate gradients');
  const hPrev = stateAndGrads.take(N * H); // h_{t-1} after recurrent dropout, for dU
  const seq = new Float32Array(N * H);
  const h = readFloats(h0T);
  const c = readFloats(c0T);
  const product = stepProduct(B, H, recurrent);
  const onWasm = lstmOnWasm(H);
  const rec: LstmRecords = { B, T, H, mask, acts, cPrev, tanhC };
  if (onWasm)
    lstmForwardOnWasm(onWasm, rec, { product, xr, drop }, { hPrev, seq, h, c }, tap, opt.goBackwards);
  else lstmForwardLoop(rec, { product, xr, drop }, { hPrev, seq, h, c }, tap, opt.goBackwards);
  product.dispose();
  xr.release();
  if (opt.recorder) {
    opt.recorder.gates = batchMajorRows(acts, T, B, G);
    opt.recorder.gateShape = [B, T, G];
  }

  const backward = (dys: tf.Tensor[], saved: tf.Tensor[]) => {
    const [xs, ks, us] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
    // The time loop runs once, on the first gradient backprop asks for; each input's gradient is a thunk.
    const bptt = lazy(() => {
      records.check();
      const dh = readFloats(dys[1]!);
      const dc = readFloats(dys[2]!);
      const dG = stateAndGrads.take(N * G);
      const dKernel = ids ? new Float32Array(In * G) : null;
      const gatesOnWasm = onWasm ? lstmGateGradsOnWasm(onWasm, rec, dh, dc) : null;
      const { dTap } = bpttLoop({
        B,
        T,
        H,
        G,
        recurrent: us,
        dSeq: pooledCopy(dys[0]!, records), // read by the loop only: back to the pool with the records
        dh,
        dG,
        oneHotGrad: dKernel,
        opt,
        tapped: !!tap,
        gateGrads:
          gatesOnWasm?.gateGrads ??
          ((dGstep, t) => lstmGateGrads(dGstep, dh, dc, acts, tanhC, cPrev, mask, t, B, T, H)),
      });
      gatesOnWasm?.finish();
      records.release();
      return { dG, dKernel, dh, dc, dTap };
    });
    const weights = lazy(() => {
      stateAndGrads.check();
      const w = weightGrads(ids ? null : xs, hPrev, bptt().dG, H, G);
      stateAndGrads.release();
      return w;
    });
    const grads = [
      () => {
        stateAndGrads.check();
        return inputGrad(xs, ks, bptt().dG);
      },
      () => tf.tensor2d(ids ? bptt().dKernel! : weights().kernel!, [In, G]),
      () => tf.tensor2d(weights().recurrent, [H, G]),
      () => tf.tensor1d(weights().bias),
      () => tf.tensor2d(bptt().dh, [B, H]),
      () => tf.tensor2d(bptt().dc, [B, H]),
    ];
    if (tap) grads.push(() => tf.tensor3d(bptt().dTap!, [B, T, H]));
    return grads;
  };
  return {
    values: [tf.tensor3d(seq, [B, T, H]), tf.tensor2d(h, [B, H]), tf.tensor2d(c, [B, H])],
    backward,
  };
}

/** The forward time loop in JS (any backend): fills the same records as `lstmForwardOnWasm`. */
function lstmForwardLoop(
  r: LstmRecords,
  step: LstmStepInputs,
  out: LstmLoopOutputs,
  tap: Float32Array | null,
  goBackwards: boolean | undefined,
): void {
  const { B, T, H, mask, acts, cPrev, tanhC } = r;
  const { product, xr, drop } = step;
  const { hPrev, seq, h, c } = out;
  const G = 4 * H;
  // Gate nonlinearities run as two backend sigmoid calls per step (wasm: XNNPACK, ~3x cheaper per element
  // than Math.exp in JS); tanh(a) = 2σ(2a) − 1, so the cell candidate's pre-activation is doubled before
  // the first call and the new cell state before the second.
  const gatesSigmoid = stepSigmoidKernel(B * G);
  const cellSigmoid = stepSigmoidKernel(B * H);
  for (let s = 0; s < T; s++) {
    const t = stepAt(s, T, goBackwards);
    const hin = product.input();
    droppedState(hin, h, drop);
    hPrev.set(hin, t * B * H);
    const hu = product.run();
    lstmPreActivations(gatesSigmoid.input(), hu, xr, t, B, H);
    const sg = gatesSigmoid.run();
    lstmCellStep(sg, cellSigmoid.input(), acts, cPrev, c, mask, t, B, T, H);
    lstmHiddenStep(cellSigmoid.run(), acts, tanhC, h, mask, t, B, T, H);
    if (tap)
      for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) h[b * H + j]! += tap[(b * T + t) * H + j]!;
    storeStep(seq, h, t, B, T, H);
  }
  gatesSigmoid.dispose();
  cellSigmoid.dispose();
}

// The per-step loops are top-level functions with everything passed in: V8 optimises each once, with no
// closure variables to reload inside the inner loops.

/** z = x·W + b + h·U for step t, the candidate's quarter doubled (tanh through the sigmoid). */
function lstmPreActivations(
  z: Float32Array,
  hu: Float32Array,
  xr: InputRows,
  t: number,
  B: number,
  H: number,
): void {
  const G = 4 * H;
  const xd = xr.data;
  for (let b = 0; b < B; b++) {
    const xo = xr.offset(t, b);
    const uo = b * G;
    for (let j = 0; j < 2 * H; j++) z[uo + j] = xd[xo + j]! + hu[uo + j]!;
    for (let j = 2 * H; j < 3 * H; j++) z[uo + j] = 2 * (xd[xo + j]! + hu[uo + j]!);
    for (let j = 3 * H; j < G; j++) z[uo + j] = xd[xo + j]! + hu[uo + j]!;
  }
}

/** Gates from their sigmoids and the new cell state (into c; doubled into c2 for its tanh). */
function lstmCellStep(
  sg: Float32Array,
  c2: Float32Array,
  acts: Float32Array,
  cPrev: Float32Array,
  c: Float32Array,
  mask: Float32Array | null,
  t: number,
  B: number,
  T: number,
  H: number,
): void {
  const G = 4 * H;
  for (let b = 0; b < B; b++) {
    if (mask && mask[b * T + t]! <= 0) continue;
    const ao = (t * B + b) * G;
    const co = (t * B + b) * H;
    const uo = b * G;
    const hb = b * H;
    for (let j = 0; j < H; j++) {
      const ig = sg[uo + j]!;
      const fg = sg[uo + H + j]!;
      const gg = 2 * sg[uo + 2 * H + j]! - 1;
      acts[ao + j] = ig;
      acts[ao + H + j] = fg;
      acts[ao + 2 * H + j] = gg;
      acts[ao + 3 * H + j] = sg[uo + 3 * H + j]!;
      const cp = c[hb + j]!;
      cPrev[co + j] = cp;
      const cn = fg * cp + ig * gg;
      c[hb + j] = cn;
      c2[hb + j] = 2 * cn;
    }
  }
}

/** h_t = o ⊙ tanh(c_t) from the cell state's sigmoid; a padded step keeps h. */
function lstmHiddenStep(
  sc: Float32Array,
  acts: Float32Array,
  tanhC: Float32Array,
  h: Float32Array,
  mask: Float32Array | null,
  t: number,
  B: number,
  T: number,
  H: number,
): void {
  const G = 4 * H;
  for (let b = 0; b < B; b++) {
    if (mask && mask[b * T + t]! <= 0) continue;
    const ao = (t * B + b) * G + 3 * H;
    const co = (t * B + b) * H;
    const hb = b * H;
    for (let j = 0; j < H; j++) {
      const tc = 2 * sc[hb + j]! - 1;
      tanhC[co + j] = tc;
      h[hb + j] = acts[ao + j]! * tc;
    }
  }
}

/** Gradients of the four gates' pre-activations at step t (zero rows where padded); updates dc. */
function lstmGateGrads(
  dGstep: Float32Array,
  dh: Float32Array,
  dc: Float32Array,
  acts: Float32Array,
  tanhC: Float32Array,
  cPrev: Float32Array,
  mask: Float32Array | null,
  t: number,
  B: number,
  T: number,
  H: number,
): void {
  const G = 4 * H;
  for (let b = 0; b < B; b++) {
    const so = b * G;
    if (mask && mask[b * T + t]! <= 0) {
      dGstep.fill(0, so, so + G); // padded: dc passes straight through to step t-1
      continue;
    }
    const ao = (t * B + b) * G;
    const co = (t * B + b) * H;
    const hb = b * H;
    for (let j = 0; j < H; j++) {
      const ig = acts[ao + j]!,
        fg = acts[ao + H + j]!,
        gg = acts[ao + 2 * H + j]!,
        og = acts[ao + 3 * H + j]!;
      const tc = tanhC[co + j]!;
      const dhj = dh[hb + j]!;
      const dcj = dc[hb + j]! + dhj * og * (1 - tc * tc);
      dGstep[so + j] = dcj * gg * ig * (1 - ig);
      dGstep[so + H + j] = dcj * cPrev[co + j]! * fg * (1 - fg);
      dGstep[so + 2 * H + j] = dcj * ig * (1 - gg * gg);
      dGstep[so + 3 * H + j] = dhj * tc * og * (1 - og);
      dc[hb + j] = dcj * fg;
    }
  }
}
