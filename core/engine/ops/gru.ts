// Fused GRU over a whole sequence, forward and hand-written BPTT backward side by side.
// Keras layout, gates z (update), r (reset), h (candidate): kernel [In,3H], recurrentKernel [H,3H].
//   resetAfter = true (PyTorch/cuDNN placement), bias [2,3H] = (input bias, recurrent bias):
//     n = tanh(x·Wh + bh_in + r ⊙ (h·Uh + bh_rec))
//   resetAfter = false (Cho et al. 2014), bias [3H]:
//     n = tanh(x·Wh + bh + (r ⊙ h)·Uh)
//   h_t = z ⊙ h_{t-1} + (1 − z) ⊙ n
import * as tf from '@tensorflow/tfjs-core';
import {
  type RecurrentOptions,
  checkShapes,
  inputGrad,
  kernelGrad,
  lazy,
  runFused,
  transposeArray,
  enterStepGrad,
  projectInputs,
  readFloats,
  recurrentKernelGrad,
  stepSigmoid,
  stepAt,
  stepMatMul,
  storeRow,
  sumRows,
} from './sequence.js';

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
  const [B, T] = x.shape;
  const H = w.recurrentKernel.shape[0];
  checkShapes('gru', x, w.kernel, w.recurrentKernel, 3 * H);
  const biasShape = resetAfter ? `2,${3 * H}` : `${3 * H}`;
  if (w.bias.shape.join(',') !== biasShape)
    throw new Error(`gru: bias must be [${biasShape}] with resetAfter=${resetAfter}, got [${w.bias.shape}]`);
  const h0 = init.h ?? tf.zeros([B, H]);
  const inputs: tf.Tensor[] = [x, w.kernel, w.recurrentKernel, w.bias, h0];
  if (options.tap) inputs.push(options.tap);
  const packed = runFused(inputs, (save) => gruForward(inputs, save, resetAfter, options)) as tf.Tensor3D;
  const result = {
    sequence: tf.slice(packed, [0, 0, 0], [B, T, H]) as tf.Tensor3D,
    h: tf.reshape(tf.slice(packed, [0, T, 0], [B, 1, H]), [B, H]) as tf.Tensor2D,
  };
  packed.dispose();
  if (!init.h) h0.dispose();
  return result;
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
  const tap = args.length > 5 ? readFloats(args[5]!) : null; // zero taps for ∂loss/∂h_t
  save([x, kernel, recurrent]);
  const [B, T] = x.shape;
  const H = recurrent.shape[0];
  const G = 3 * H;
  const N = B * T;
  const mask = opt.mask ?? null;
  const drop = opt.recurrentDropMask ?? null;
  const bias = readFloats(biasT);
  const xp = projectInputs(x, kernel, bias.subarray(0, G));
  const recBias = resetAfter ? bias.subarray(G, 2 * G) : null;
  // Candidate's recurrent kernel alone, for the second product of the Cho placement.
  const uH = resetAfter ? null : (tf.slice(recurrent, [0, 2 * H], [H, H]) as tf.Tensor2D);
  const acts = new Float32Array(N * G); // z, r, n
  const huH = resetAfter ? new Float32Array(N * H) : null; // h·Uh + bh_rec, needed for dr
  const hPrev = new Float32Array(N * H);
  const hinRows = new Float32Array(N * H);
  const rhRows = resetAfter ? null : new Float32Array(N * H);
  const out = new Float32Array(B * (T + 1) * H);
  const h = readFloats(h0T);
  const hin = new Float32Array(B * H);
  const rh = new Float32Array(B * H);
  // Gate nonlinearities as two backend sigmoid calls per step (wasm: XNNPACK, cheaper than Math.exp in
  // JS): one for the update and reset gates, one for the candidate via tanh(a) = 2σ(2a) − 1.
  const zr = new Float32Array(B * 2 * H);
  const a2 = new Float32Array(B * H);
  for (let s = 0; s < T; s++) {
    const t = stepAt(s, T, opt.goBackwards);
    for (let i = 0; i < B * H; i++) hin[i] = drop ? h[i]! * drop[i]! : h[i]!;
    const hu = stepMatMul(hin, B, H, recurrent);
    for (let b = 0; b < B; b++) {
      const zo = (b * T + t) * G,
        uo = b * G,
        vo = b * 2 * H;
      for (let j = 0; j < 2 * H; j++) zr[vo + j] = xp[zo + j]! + hu[uo + j]! + (recBias ? recBias[j]! : 0);
    }
    const sg = stepSigmoid(zr);
    for (let b = 0; b < B; b++) {
      const r = b * T + t;
      if (mask && mask[r]! <= 0) continue;
      storeRow(hinRows, hin, b, H, r);
      const zo = r * G,
        uo = b * G,
        vo = b * 2 * H,
        hb = b * H;
      for (let j = 0; j < H; j++) {
        const rg = sg[vo + H + j]!;
        acts[zo + j] = sg[vo + j]!;
        acts[zo + H + j] = rg;
        if (huH) huH[r * H + j] = hu[uo + 2 * H + j]! + recBias![2 * H + j]!;
        rh[hb + j] = rg * hin[hb + j]!;
      }
    }
    const rhU = uH ? stepMatMul(rh, B, H, uH) : null;
    for (let b = 0; b < B; b++) {
      const r = b * T + t;
      if (mask && mask[r]! <= 0) continue;
      const zo = r * G,
        hb = b * H;
      for (let j = 0; j < H; j++) {
        const pre = rhU ? rhU[hb + j]! : acts[zo + H + j]! * huH![r * H + j]!;
        a2[hb + j] = 2 * (xp[zo + 2 * H + j]! + pre);
      }
    }
    const sn = stepSigmoid(a2);
    for (let b = 0; b < B; b++) {
      const r = b * T + t;
      const hb = b * H;
      if (!mask || mask[r]! > 0) {
        if (rhRows) storeRow(rhRows, rh, b, H, r);
        const zo = r * G;
        for (let j = 0; j < H; j++) {
          const zg = acts[zo + j]!;
          const n = 2 * sn[hb + j]! - 1;
          acts[zo + 2 * H + j] = n;
          hPrev[r * H + j] = h[hb + j]!;
          h[hb + j] = zg * h[hb + j]! + (1 - zg) * n;
        }
      }
      if (tap) for (let j = 0; j < H; j++) h[hb + j]! += tap[(b * T + t) * H + j]!;
      out.set(h.subarray(hb, hb + H), (b * (T + 1) + t) * H);
    }
  }
  for (let b = 0; b < B; b++) out.set(h.subarray(b * H, b * H + H), (b * (T + 1) + T) * H);
  if (opt.recorder) {
    opt.recorder.gates = acts;
    opt.recorder.gateShape = [B, T, G];
  }

  const backward = (dy: tf.Tensor, saved: tf.Tensor[]) => {
    const [xs, ks, us] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
    // The time loop runs once, on the first gradient backprop asks for; each input's gradient is a thunk.
    const bptt = lazy(() => {
      const d = readFloats(dy);
      const uT = tf.transpose(us) as tf.Tensor2D;
      // The forward's slice of Uh was freed with the forward's scope; take it again from the saved kernel.
      const uHT = resetAfter
        ? null
        : (tf.tidy(() => tf.transpose(tf.slice(us, [0, 2 * H], [H, H]))) as tf.Tensor2D);
      const dXP = new Float32Array(N * G); // gradient of the input projection (and input bias)
      const dHU = new Float32Array(N * G); // gradient of h·U (z, r parts; candidate part for resetAfter)
      const dAN = resetAfter ? null : new Float32Array(N * G); // candidate pre-activation, for rhᵀ·dAN
      const dHUstep = new Float32Array(B * G);
      const danStep = new Float32Array(B * H);
      const dh = new Float32Array(B * H);
      for (let b = 0; b < B; b++) dh.set(d.subarray((b * (T + 1) + T) * H, (b * (T + 1) + T + 1) * H), b * H);
      const norms = opt.recorder ? new Float32Array(T) : null;
      const dTap = tap ? new Float32Array(N * H) : null;
      for (let s = T - 1; s >= 0; s--) {
        const t = stepAt(s, T, opt.goBackwards);
        enterStepGrad(dh, d, { B, T, H, rowsPerBatch: T + 1 }, t, norms, dTap);
        dHUstep.fill(0);
        for (let b = 0; b < B; b++) {
          const r = b * T + t;
          if (mask && mask[r]! <= 0) continue;
          const zo = r * G,
            so = b * G;
          for (let j = 0; j < H; j++) {
            const zg = acts[zo + j]!,
              rg = acts[zo + H + j]!,
              n = acts[zo + 2 * H + j]!;
            const dhj = dh[b * H + j]!;
            const dan = dhj * (1 - zg) * (1 - n * n);
            const daz = dhj * (hPrev[r * H + j]! - n) * zg * (1 - zg);
            dXP[zo + j] = daz;
            dXP[zo + 2 * H + j] = dan;
            dHUstep[so + j] = daz;
            if (huH) {
              const dar = dan * huH[r * H + j]! * rg * (1 - rg);
              dXP[zo + H + j] = dar;
              dHUstep[so + H + j] = dar;
              dHUstep[so + 2 * H + j] = dan * rg;
            } else {
              danStep[b * H + j] = dan;
              dAN![zo + 2 * H + j] = dan;
            }
          }
        }
        let dRh: Float32Array | null = null;
        if (uHT) {
          // Cho placement: the reset gate's gradient needs (r⊙h)'s gradient first, one more product.
          dRh = stepMatMul(danStep, B, H, uHT);
          for (let b = 0; b < B; b++) {
            const r = b * T + t;
            if (mask && mask[r]! <= 0) continue;
            const zo = r * G,
              so = b * G,
              hb = b * H;
            for (let j = 0; j < H; j++) {
              const rg = acts[zo + H + j]!;
              const hinv = drop ? hPrev[r * H + j]! * drop[hb + j]! : hPrev[r * H + j]!;
              const dar = dRh[hb + j]! * hinv * rg * (1 - rg);
              dXP[zo + H + j] = dar;
              dHUstep[so + H + j] = dar;
            }
          }
        }
        for (let b = 0; b < B; b++) dHU.set(dHUstep.subarray(b * G, b * G + G), (b * T + t) * G);
        const dhU = stepMatMul(dHUstep, B, G, uT);
        for (let b = 0; b < B; b++) {
          const r = b * T + t;
          if (mask && mask[r]! <= 0) continue;
          const zo = r * G;
          for (let j = 0; j < H; j++) {
            const k = b * H + j;
            let dhin = dhU[k]!;
            if (dRh) dhin += dRh[k]! * acts[zo + H + j]!;
            dh[k] = dh[k]! * acts[zo + j]! + (drop ? dhin * drop[k]! : dhin);
          }
        }
      }
      uT.dispose();
      uHT?.dispose();
      if (opt.recorder && norms) opt.recorder.stateGradNorms = norms;
      return { dXP, dHU, dAN, dh, dTap };
    });
    const dXPT = lazy(() => transposeArray(bptt().dXP, N, G));
    const recurrentGrad = () => {
      const dU = recurrentKernelGrad(hinRows, transposeArray(bptt().dHU, N, G), H, N, G);
      // Cho placement: the candidate's columns come from (r⊙h)ᵀ·dAN.
      return rhRows
        ? tf.add(dU, recurrentKernelGrad(rhRows, transposeArray(bptt().dAN!, N, G), H, N, G))
        : dU;
    };
    const biasGrad = () => {
      const dIn = sumRows(bptt().dXP, N, G);
      return resetAfter ? tf.tensor2d([...dIn, ...sumRows(bptt().dHU, N, G)], [2, G]) : tf.tensor1d(dIn);
    };
    const grads = [
      () => inputGrad(xs, ks, bptt().dXP),
      () => kernelGrad(xs, dXPT(), G),
      recurrentGrad,
      biasGrad,
      () => tf.tensor2d(bptt().dh, [B, H]),
    ];
    if (tap) grads.push(() => tf.tensor3d(bptt().dTap!, [B, T, H]));
    return grads;
  };
  return { value: tf.tensor3d(out, [B, T + 1, H]), backward };
}
