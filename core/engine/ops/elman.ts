// Fused Elman (simple) RNN over a whole sequence, forward and hand-written BPTT backward side by side.
//   h_t = act(x·W + h_{t-1}·U + b), act = tanh or relu. Keras layout: kernel [In,H], recurrentKernel [H,H].
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

export interface ElmanWeights {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor1D;
}

export interface ElmanResult {
  sequence: tf.Tensor3D;
  h: tf.Tensor2D;
}

export function elmanSequence(
  x: tf.Tensor3D,
  w: ElmanWeights,
  activation: 'tanh' | 'relu',
  init: { h?: tf.Tensor2D } = {},
  options: RecurrentOptions = {},
): ElmanResult {
  const [B] = x.shape;
  const H = w.recurrentKernel.shape[0];
  checkShapes('elman', x, w.kernel, w.recurrentKernel, H);
  const h0 = init.h ?? tf.zeros([B, H]);
  const inputs: tf.Tensor[] = [x, w.kernel, w.recurrentKernel, w.bias, h0];
  if (options.tap) inputs.push(options.tap);
  const [sequence, h] = runFused(inputs, (save) => elmanForward(inputs, save, activation, options));
  if (!init.h) h0.dispose();
  return { sequence: sequence as tf.Tensor3D, h: h as tf.Tensor2D };
}

function elmanForward(
  args: tf.Tensor[],
  save: (ts: tf.Tensor[]) => void,
  activation: 'tanh' | 'relu',
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
  const N = B * T;
  const mask = opt.mask ?? null;
  const drop = opt.recurrentDropMask ?? null;
  const ids = opt.oneHotIds ?? null;
  const relu = activation === 'relu';
  const xr = inputRows(x, kernel, viewFloats(biasT), ids);
  // Records from the scratch pool, given back when their last reader is done (as in lstm.ts).
  const records = new Scratch('Elman state records');
  const hs = records.take(N * H, { zeroed: !!mask }); // h_t at real steps, time-major, for the derivative
  const stateAndGrads = new Scratch('Elman states and gradients');
  const hPrev = stateAndGrads.take(N * H); // h_{t-1} after recurrent dropout, time-major, for dU
  const seq = new Float32Array(N * H);
  const h = readFloats(h0T);
  const product = stepProduct(B, H, recurrent);
  // tanh(a) = 2σ(2a) − 1 through the backend's sigmoid (wasm: XNNPACK, cheaper than Math.tanh in JS).
  const sigmoid = stepSigmoidKernel(B * H);
  for (let s = 0; s < T; s++) {
    const t = stepAt(s, T, opt.goBackwards);
    const hin = product.input();
    droppedState(hin, h, drop);
    hPrev.set(hin, t * B * H);
    const hu = product.run();
    const a = relu ? hu : sigmoid.input();
    elmanPreActivations(a, hu, xr, t, B, H, relu ? 1 : 2);
    const v = relu ? a : sigmoid.run();
    elmanStateStep(v, hs, h, mask, t, B, T, H, relu);
    if (tap)
      for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) h[b * H + j]! += tap[(b * T + t) * H + j]!;
    storeStep(seq, h, t, B, T, H);
  }
  product.dispose();
  sigmoid.dispose();
  xr.release();
  if (opt.recorder) {
    opt.recorder.gates = batchMajorRows(hs, T, B, H);
    opt.recorder.gateShape = [B, T, H];
  }

  const backward = (dys: tf.Tensor[], saved: tf.Tensor[]) => {
    const [xs, ks, us] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
    // The time loop runs once, on the first gradient backprop asks for; each input's gradient is a thunk.
    const bptt = lazy(() => {
      records.check();
      const dh = readFloats(dys[1]!);
      const dA = stateAndGrads.take(N * H);
      const dKernel = ids ? new Float32Array(In * H) : null;
      const { dTap } = bpttLoop({
        B,
        T,
        H,
        G: H,
        recurrent: us,
        dSeq: pooledCopy(dys[0]!, records), // read by the loop only: back to the pool with the records
        dh,
        dG: dA,
        oneHotGrad: dKernel,
        opt,
        tapped: !!tap,
        gateGrads: (dAstep, t) => elmanActivationGrads(dAstep, dh, hs, mask, t, B, T, H, relu),
      });
      records.release();
      return { dA, dKernel, dh, dTap };
    });
    const weights = lazy(() => {
      stateAndGrads.check();
      const w = weightGrads(ids ? null : xs, hPrev, bptt().dA, H, H);
      stateAndGrads.release();
      return w;
    });
    const grads = [
      () => {
        stateAndGrads.check();
        return inputGrad(xs, ks, bptt().dA);
      },
      () => tf.tensor2d(ids ? bptt().dKernel! : weights().kernel!, [In, H]),
      () => tf.tensor2d(weights().recurrent, [H, H]),
      () => tf.tensor1d(weights().bias),
      () => tf.tensor2d(bptt().dh, [B, H]),
    ];
    if (tap) grads.push(() => tf.tensor3d(bptt().dTap!, [B, T, H]));
    return grads;
  };
  return { values: [tf.tensor3d(seq, [B, T, H]), tf.tensor2d(h, [B, H])], backward };
}

/** a = scale·(x·W + b + h·U) for step t (scale 2 when tanh goes through the sigmoid). `a` may be `hu`. */
function elmanPreActivations(
  a: Float32Array,
  hu: Float32Array,
  xr: InputRows,
  t: number,
  B: number,
  H: number,
  scale: number,
): void {
  const xd = xr.data;
  for (let b = 0; b < B; b++) {
    const xo = xr.offset(t, b);
    const o = b * H;
    for (let j = 0; j < H; j++) a[o + j] = scale * (xd[xo + j]! + hu[o + j]!);
  }
}

/** h_t from the activation input (relu: a itself; tanh: σ(2a), so h = 2σ − 1); a padded step keeps h. */
function elmanStateStep(
  v: Float32Array,
  hs: Float32Array,
  h: Float32Array,
  mask: Float32Array | null,
  t: number,
  B: number,
  T: number,
  H: number,
  relu: boolean,
): void {
  for (let b = 0; b < B; b++) {
    if (mask && mask[b * T + t]! <= 0) continue;
    const o = b * H;
    const ro = (t * B + b) * H;
    for (let j = 0; j < H; j++) {
      const vj = v[o + j]!;
      const hj = relu ? (vj > 0 ? vj : 0) : 2 * vj - 1;
      hs[ro + j] = hj;
      h[o + j] = hj;
    }
  }
}

/** Gradient of the activation's input at step t (zero rows where padded). */
function elmanActivationGrads(
  dAstep: Float32Array,
  dh: Float32Array,
  hs: Float32Array,
  mask: Float32Array | null,
  t: number,
  B: number,
  T: number,
  H: number,
  relu: boolean,
): void {
  for (let b = 0; b < B; b++) {
    const o = b * H;
    if (mask && mask[b * T + t]! <= 0) {
      dAstep.fill(0, o, o + H);
      continue;
    }
    const ro = (t * B + b) * H;
    for (let j = 0; j < H; j++) {
      const v = hs[ro + j]!;
      dAstep[o + j] = dh[o + j]! * (relu ? (v > 0 ? 1 : 0) : 1 - v * v);
    }
  }
}
