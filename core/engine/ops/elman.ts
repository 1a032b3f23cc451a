// Fused Elman (simple) RNN over a whole sequence, forward and hand-written BPTT backward side by side.
//   h_t = act(x·W + h_{t-1}·U + b), act = tanh or relu. Keras layout: kernel [In,H], recurrentKernel [H,H].
import * as tf from '@tensorflow/tfjs-core';
import {
  type RecurrentOptions,
  checkShapes,
  inputGrad,
  kernelGrad,
  lazy,
  runFused,
  sumRows,
  transposeArray,
  enterStepGrad,
  projectInputs,
  readFloats,
  recurrentKernelGrad,
  stepAt,
  tanh,
  stepMatMul,
  storeRow,
} from './sequence.js';

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
  const [B, T] = x.shape;
  const H = w.recurrentKernel.shape[0];
  checkShapes('elman', x, w.kernel, w.recurrentKernel, H);
  const h0 = init.h ?? tf.zeros([B, H]);
  const inputs: tf.Tensor[] = [x, w.kernel, w.recurrentKernel, w.bias, h0];
  if (options.tap) inputs.push(options.tap);
  const packed = runFused(inputs, (save) => elmanForward(inputs, save, activation, options)) as tf.Tensor3D;
  const result = {
    sequence: tf.slice(packed, [0, 0, 0], [B, T, H]) as tf.Tensor3D,
    h: tf.reshape(tf.slice(packed, [0, T, 0], [B, 1, H]), [B, H]) as tf.Tensor2D,
  };
  packed.dispose();
  if (!init.h) h0.dispose();
  return result;
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
  const tap = args.length > 5 ? readFloats(args[5]!) : null; // zero taps for ∂loss/∂h_t
  save([x, kernel, recurrent]);
  const [B, T] = x.shape;
  const H = recurrent.shape[0];
  const N = B * T;
  const mask = opt.mask ?? null;
  const drop = opt.recurrentDropMask ?? null;
  const relu = activation === 'relu';
  const xp = projectInputs(x, kernel, readFloats(biasT));
  const hs = new Float32Array(N * H); // h_t at real steps, for the activation's derivative
  const hinRows = new Float32Array(N * H);
  const out = new Float32Array(B * (T + 1) * H);
  const h = readFloats(h0T);
  const hin = new Float32Array(B * H);
  for (let s = 0; s < T; s++) {
    const t = stepAt(s, T, opt.goBackwards);
    for (let i = 0; i < B * H; i++) hin[i] = drop ? h[i]! * drop[i]! : h[i]!;
    const hu = stepMatMul(hin, B, H, recurrent);
    for (let b = 0; b < B; b++) {
      const r = b * T + t;
      const hb = b * H;
      if (!mask || mask[r]! > 0) {
        storeRow(hinRows, hin, b, H, r);
        for (let j = 0; j < H; j++) {
          const a = xp[r * H + j]! + hu[hb + j]!;
          const v = relu ? (a > 0 ? a : 0) : tanh(a);
          hs[r * H + j] = v;
          h[hb + j] = v;
        }
      }
      if (tap) for (let j = 0; j < H; j++) h[hb + j]! += tap[(b * T + t) * H + j]!;
      out.set(h.subarray(hb, hb + H), (b * (T + 1) + t) * H);
    }
  }
  for (let b = 0; b < B; b++) out.set(h.subarray(b * H, b * H + H), (b * (T + 1) + T) * H);
  if (opt.recorder) {
    opt.recorder.gates = hs;
    opt.recorder.gateShape = [B, T, H];
  }

  const backward = (dy: tf.Tensor, saved: tf.Tensor[]) => {
    const [xs, ks, us] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
    // The time loop runs once, on the first gradient backprop asks for; each input's gradient is a thunk.
    const bptt = lazy(() => {
      const d = readFloats(dy);
      const uT = tf.transpose(us) as tf.Tensor2D;
      const dA = new Float32Array(N * H);
      const dAstep = new Float32Array(B * H);
      const dh = new Float32Array(B * H);
      for (let b = 0; b < B; b++) dh.set(d.subarray((b * (T + 1) + T) * H, (b * (T + 1) + T + 1) * H), b * H);
      const norms = opt.recorder ? new Float32Array(T) : null;
      const dTap = tap ? new Float32Array(N * H) : null;
      for (let s = T - 1; s >= 0; s--) {
        const t = stepAt(s, T, opt.goBackwards);
        enterStepGrad(dh, d, { B, T, H, rowsPerBatch: T + 1 }, t, norms, dTap);
        dAstep.fill(0);
        for (let b = 0; b < B; b++) {
          const r = b * T + t;
          if (mask && mask[r]! <= 0) continue;
          for (let j = 0; j < H; j++) {
            const v = hs[r * H + j]!;
            const da = dh[b * H + j]! * (relu ? (v > 0 ? 1 : 0) : 1 - v * v);
            dAstep[b * H + j] = da;
            dA[r * H + j] = da;
          }
        }
        const dhU = stepMatMul(dAstep, B, H, uT);
        for (let b = 0; b < B; b++) {
          if (mask && mask[b * T + t]! <= 0) continue;
          for (let j = 0; j < H; j++) {
            const k = b * H + j;
            dh[k] = drop ? dhU[k]! * drop[k]! : dhU[k]!;
          }
        }
      }
      uT.dispose();
      if (opt.recorder && norms) opt.recorder.stateGradNorms = norms;
      return { dA, dh, dTap };
    });
    const dAT = lazy(() => transposeArray(bptt().dA, N, H));
    const grads = [
      () => inputGrad(xs, ks, bptt().dA),
      () => kernelGrad(xs, dAT(), H),
      () => recurrentKernelGrad(hinRows, dAT(), H, N, H),
      () => tf.tensor1d(sumRows(bptt().dA, N, H)),
      () => tf.tensor2d(bptt().dh, [B, H]),
    ];
    if (tap) grads.push(() => tf.tensor3d(bptt().dTap!, [B, T, H]));
    return grads;
  };
  return { value: tf.tensor3d(out, [B, T + 1, H]), backward };
}
