// GRU (reset after the product, PyTorch's and Keras' default form) on webgpu with fused WGSL kernels:
// per time step the recurrent product, one fused elementwise kernel and one slice, forward and backward;
// the weight gradients of all steps are one matMul each after the loop. Kernel layout and costs:
// webgpuPrograms.ts. Reset before the product (two products per step) takes the generic device path.
//
// z = σ(xz + h·Uz + bz'), r = σ(xr + h·Ur + br'), p = h·Un + bn' (b' the recurrent bias),
// n = tanh(xn + r⊙p), h_t = z⊙h + (1−z)⊙n; padded steps hold h.
// Forward record R_t [B,5H] = (z, r, n, p, h_t). Backward record Q_t [B,7H] = (dGx = (dz, dr, dn) masked,
// carry, dGu = (dz, dr, dn⊙r) masked): dGx feeds the input-side gradients after the loop, dGu the
// recurrent ones and, through dGu·Uᵀ (the next backward step's product), ∂loss/∂h_{t-1}; carry is the
// part of ∂loss/∂h_{t-1} that bypasses the product (z⊙dh on a real step, dh itself on a padded one).
import * as tf from '@tensorflow/tfjs-core';
import type { CellResult, CellState, CellWeights } from '../recurrent.js';
import { runFused, stepAt, type RecurrentOptions } from '../sequence.js';
import { HELPERS, program, run, timeMajorMask } from './webgpuPrograms.js';

const FORWARD = `${HELPERS}
  fn main(index : i32) {
    let H = uniforms.units;
    let B = uniforms.batch;
    if (index >= B * H) { return; }
    let b = index / H;
    let j = index - b * H;
    let G = 3 * H;
    let xo = (uniforms.stepIndex * B + b) * G + j;
    let uo = b * G + j;
    let zg = sigm(XZ[xo] + HU[uo] + BR[j]);
    let rg = sigm(XZ[xo + H] + HU[uo + H] + BR[H + j]);
    let p = HU[uo + 2 * H] + BR[2 * H + j];
    let ng = tanhf(XZ[xo + 2 * H] + rg * p);
    let ro = b * 5 * H + j;
    let hPrev = PREV[ro + 4 * H];
    let m = M[uniforms.stepIndex * B + b];
    setOutputAtIndex(ro, zg);
    setOutputAtIndex(ro + H, rg);
    setOutputAtIndex(ro + 2 * H, ng);
    setOutputAtIndex(ro + 3 * H, p);
    setOutputAtIndex(ro + 4 * H, hPrev + m * (zg * hPrev + (1.0 - zg) * ng - hPrev));
  }
`;

const BACKWARD = `
  fn main(index : i32) {
    let H = uniforms.units;
    let B = uniforms.batch;
    if (index >= B * H) { return; }
    let b = index / H;
    let j = index - b * H;
    let qo = b * 7 * H + j;
    let dh = DHU[b * H + j] + QN[qo + 3 * H] + DSEQ[(b * uniforms.time + uniforms.stepIndex) * H + j];
    let ro = b * 5 * H + j;
    let zg = REC[ro];
    let rg = REC[ro + H];
    let ng = REC[ro + 2 * H];
    let p = REC[ro + 3 * H];
    let hPrev = PREV[ro + 4 * H];
    let m = M[uniforms.stepIndex * B + b];
    let dz = m * dh * (hPrev - ng) * zg * (1.0 - zg);
    let dn = m * dh * (1.0 - zg) * (1.0 - ng * ng);
    let dr = dn * p * rg * (1.0 - rg);
    setOutputAtIndex(qo, dz);
    setOutputAtIndex(qo + H, dr);
    setOutputAtIndex(qo + 2 * H, dn);
    setOutputAtIndex(qo + 3 * H, dh - m * dh * (1.0 - zg));
    setOutputAtIndex(qo + 4 * H, dz);
    setOutputAtIndex(qo + 5 * H, dr);
    setOutputAtIndex(qo + 6 * H, dn * rg);
  }
`;

/** Whether this GRU can take the fused kernels (besides fusedKernelsApply): reset after the product. */
export function fusedGruFits(resetAfter: boolean | undefined): boolean {
  return resetAfter !== false;
}

export function gruOnWebGpu(
  x: tf.Tensor3D,
  w: CellWeights,
  init: CellState,
  opt: RecurrentOptions,
): CellResult {
  const [B, T, In] = x.shape;
  const H = w.recurrentKernel.shape[0];
  const h0 = init.h ?? tf.zeros([B, H]);
  const inputs: tf.Tensor[] = [x, w.kernel, w.recurrentKernel, w.bias, h0];
  const outs = runFused(inputs, (save) => {
    const [xs, kernel, recurrent, bias] = inputs as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const u = { units: H, batch: B, time: T, prevStep: -1 };
    const xTime = tf.reshape(tf.transpose(xs, [1, 0, 2]), [T * B, In]) as tf.Tensor2D;
    // bias [2,3H]: row 0 the input side's, row 1 the recurrent product's.
    const inBias = tf.reshape(tf.slice(bias, [0, 0], [1, 3 * H]), [3 * H]);
    const recBias = tf.reshape(tf.slice(bias, [1, 0], [1, 3 * H]), [3 * H]);
    const xz = tf.add(tf.matMul(xTime, kernel), inBias); // [T*B, 3H], time-major
    const mask = timeMajorMask(opt, B, T);
    const forward = program(
      'rnnStudioGruForward',
      ['XZ', 'HU', 'BR', 'PREV', 'M'],
      [B, 5 * H],
      B * H,
      FORWARD,
    );
    const first = tf.concat([tf.zeros([B, 4 * H]), h0], 1);
    const records: tf.Tensor[] = new Array(T);
    const hIns: tf.Tensor[] = new Array(T);
    let prev = first;
    for (let s = 0; s < T; s++) {
      const t = stepAt(s, T, opt.goBackwards);
      const hIn = s === 0 ? h0 : tf.slice(prev, [0, 4 * H], [B, H]);
      const product = tf.matMul(hIn as tf.Tensor2D, recurrent);
      const rec = run(forward, [xz, product, recBias, prev, mask], { ...u, step: t });
      records[t] = rec;
      hIns[t] = hIn;
      prev = rec;
    }
    const seq = tf.stack(
      records.map((r) => tf.slice(r, [0, 4 * H], [B, H])),
      1,
    );
    const hT = tf.slice(prev, [0, 4 * H], [B, H]);
    save([xTime, mask, first, ...records, ...hIns]);

    const backward = (dys: tf.Tensor[], kept: tf.Tensor[]) => {
      const [xRows, maskK, firstK] = kept as [tf.Tensor2D, tf.Tensor, tf.Tensor];
      const recs = kept.slice(3, 3 + T);
      const hInK = kept.slice(3 + T, 3 + 2 * T);
      const back = program(
        'rnnStudioGruBackward',
        ['DSEQ', 'REC', 'PREV', 'M', 'DHU', 'QN'],
        [B, 7 * H],
        B * H,
        BACKWARD,
      );
      let q = tf.concat([tf.zeros([B, 3 * H]), dys[1]!, tf.zeros([B, 3 * H])], 1);
      let dhU: tf.Tensor = tf.zeros([B, H]);
      let prevStep = -1;
      const qs: tf.Tensor[] = new Array(T);
      for (let s = T - 1; s >= 0; s--) {
        const t = stepAt(s, T, opt.goBackwards);
        const before = s === 0 ? firstK : recs[stepAt(s - 1, T, opt.goBackwards)]!;
        q = run(back, [dys[0]!, recs[t]!, before, maskK, dhU, q], { ...u, step: t, prevStep });
        qs[t] = q;
        dhU = tf.matMul(tf.slice(q, [0, 4 * H], [B, 3 * H]) as tf.Tensor2D, recurrent, false, true);
        prevStep = t;
      }
      // ∂loss/∂h0: through the first step's product plus what bypassed it.
      const dh0 = tf.add(dhU, tf.slice(q, [0, 3 * H], [B, H]));
      const all = tf.concat(qs, 0); // time-major [T*B, 7H]
      const dGx = tf.slice(all, [0, 0], [T * B, 3 * H]) as tf.Tensor2D;
      const dGu = tf.slice(all, [0, 4 * H], [T * B, 3 * H]) as tf.Tensor2D;
      return [
        () => tf.transpose(tf.reshape(tf.matMul(dGx, kernel, false, true), [T, B, In]), [1, 0, 2]),
        () => tf.matMul(xRows, dGx, true, false),
        () => tf.matMul(tf.concat(hInK, 0) as tf.Tensor2D, dGu, true, false),
        () => tf.stack([tf.sum(dGx, 0), tf.sum(dGu, 0)]),
        () => dh0,
      ];
    };
    return { values: [seq, hT], backward };
  });
  if (!init.h) h0.dispose();
  return { sequence: outs[0] as tf.Tensor3D, h: outs[1] as tf.Tensor2D };
}
