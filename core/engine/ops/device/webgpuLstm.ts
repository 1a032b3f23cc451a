// LSTM on webgpu with fused WGSL gate kernels: per time step the recurrent product (a matMul), one
// fused elementwise kernel, and one slice, forward and backward; the weight gradients of all steps are
// one matMul each after the loop (as cuDNN does). The generic device path (sequence.ts + cells.ts) runs
// ~15 tfjs kernels per step forward and ~25 backward; on a GPU every dispatch has a fixed cost (on the
// SwiftShader emulator here several milliseconds), so the step count of dispatches is what matters.
//
// Per step t the forward kernel writes one record R_t [B,7H] = (i, f, g, o, c_t, h_t, tanh c_t), c and h
// already held over padded steps; the next step's product reads h_t through a slice. The backward kernel
// writes Q_t [B,6H] = (dG_t masked, ∂loss/∂h_t, ∂loss/∂c_{t-1}); ∂loss/∂h_{t-1} = dG_t·Uᵀ is the next
// step's product. Same equations, masks and outputs as lstm.ts; tested against it and PyTorch.
//
// The kernels run through the webgpu backend's own program runner (tfjsInternals.runWebGpuProgram: our
// WGSL body, tfjs adds bindings, uniforms and the entry point; webgpuPrograms.ts). Recurrent dropout, taps
// and the probe recorder take the generic device path instead.
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
    let G = 4 * H;
    let xo = (uniforms.stepIndex * B + b) * G + j;
    let uo = b * G + j;
    let ig = sigm(XZ[xo] + HU[uo]);
    let fg = sigm(XZ[xo + H] + HU[uo + H]);
    let gg = tanhf(XZ[xo + 2 * H] + HU[uo + 2 * H]);
    let og = sigm(XZ[xo + 3 * H] + HU[uo + 3 * H]);
    let ro = b * 7 * H + j;
    let cPrev = PREV[ro + 4 * H];
    let hPrev = PREV[ro + 5 * H];
    let c = fg * cPrev + ig * gg;
    let tc = tanhf(c);
    let m = M[uniforms.stepIndex * B + b];
    setOutputAtIndex(ro, ig);
    setOutputAtIndex(ro + H, fg);
    setOutputAtIndex(ro + 2 * H, gg);
    setOutputAtIndex(ro + 3 * H, og);
    setOutputAtIndex(ro + 4 * H, cPrev + m * (c - cPrev));
    setOutputAtIndex(ro + 5 * H, hPrev + m * (og * tc - hPrev));
    setOutputAtIndex(ro + 6 * H, tc);
  }
`;

const BACKWARD = `
  fn main(index : i32) {
    let H = uniforms.units;
    let B = uniforms.batch;
    if (index >= B * H) { return; }
    let b = index / H;
    let j = index - b * H;
    let qo = b * 6 * H + j;
    var dh = QN[qo + 4 * H];
    if (uniforms.prevStep >= 0) {
      if (M[uniforms.prevStep * B + b] > 0.0) { dh = DHU[b * H + j]; }
    }
    dh = dh + DSEQ[(b * uniforms.time + uniforms.stepIndex) * H + j];
    let dc = QN[qo + 5 * H];
    let ro = b * 7 * H + j;
    let ig = REC[ro];
    let fg = REC[ro + H];
    let gg = REC[ro + 2 * H];
    let og = REC[ro + 3 * H];
    let tc = REC[ro + 6 * H];
    let cPrev = PREV[ro + 4 * H];
    let m = M[uniforms.stepIndex * B + b];
    let dcT = dc + dh * og * (1.0 - tc * tc);
    setOutputAtIndex(qo, m * dcT * gg * ig * (1.0 - ig));
    setOutputAtIndex(qo + H, m * dcT * cPrev * fg * (1.0 - fg));
    setOutputAtIndex(qo + 2 * H, m * dcT * ig * (1.0 - gg * gg));
    setOutputAtIndex(qo + 3 * H, m * dh * tc * og * (1.0 - og));
    setOutputAtIndex(qo + 4 * H, dh);
    setOutputAtIndex(qo + 5 * H, dc + m * (dcT * fg - dc));
  }
`;

export function lstmOnWebGpu(
  x: tf.Tensor3D,
  w: CellWeights,
  init: CellState,
  opt: RecurrentOptions,
): CellResult {
  const [B, T, In] = x.shape;
  const H = w.recurrentKernel.shape[0];
  const h0 = init.h ?? tf.zeros([B, H]);
  const c0 = init.c ?? tf.zeros([B, H]);
  const inputs: tf.Tensor[] = [x, w.kernel, w.recurrentKernel, w.bias, h0, c0];
  const outs = runFused(inputs, (save) => {
    const [xs, kernel, recurrent, bias] = inputs as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor];
    const u = { units: H, batch: B, time: T, prevStep: -1 };
    const xTime = tf.reshape(tf.transpose(xs, [1, 0, 2]), [T * B, In]) as tf.Tensor2D;
    const xz = tf.add(tf.matMul(xTime, kernel), bias); // [T*B, 4H], time-major
    const mask = timeMajorMask(opt, B, T);
    const forward = program('rnnStudioLstmForward', ['XZ', 'HU', 'PREV', 'M'], [B, 7 * H], B * H, FORWARD);
    const first = tf.concat([tf.zeros([B, 4 * H]), c0, h0, tf.zeros([B, H])], 1);
    const records: tf.Tensor[] = new Array(T);
    const hIns: tf.Tensor[] = new Array(T);
    let prev = first;
    for (let s = 0; s < T; s++) {
      const t = stepAt(s, T, opt.goBackwards);
      const hIn = s === 0 ? h0 : tf.slice(prev, [0, 5 * H], [B, H]);
      const rec = run(forward, [xz, tf.matMul(hIn as tf.Tensor2D, recurrent), prev, mask], { ...u, step: t });
      records[t] = rec;
      hIns[t] = hIn;
      prev = rec;
    }
    const seq = tf.stack(
      records.map((r) => tf.slice(r, [0, 5 * H], [B, H])),
      1,
    );
    const hT = tf.slice(prev, [0, 5 * H], [B, H]);
    const cT = tf.slice(prev, [0, 4 * H], [B, H]);
    save([xTime, mask, first, ...records, ...hIns]);

    const backward = (dys: tf.Tensor[], kept: tf.Tensor[]) => {
      const [xRows, maskK, firstK] = kept as [tf.Tensor2D, tf.Tensor, tf.Tensor];
      const recs = kept.slice(3, 3 + T);
      const hInK = kept.slice(3 + T, 3 + 2 * T);
      const back = program(
        'rnnStudioLstmBackward',
        ['DSEQ', 'REC', 'PREV', 'M', 'DHU', 'QN'],
        [B, 6 * H],
        B * H,
        BACKWARD,
      );
      let q = tf.concat([tf.zeros([B, 4 * H]), dys[1]!, dys[2]!], 1);
      let dhU: tf.Tensor = tf.zeros([B, H]);
      let prevStep = -1;
      const dGs: tf.Tensor[] = new Array(T);
      for (let s = T - 1; s >= 0; s--) {
        const t = stepAt(s, T, opt.goBackwards);
        const before = s === 0 ? firstK : recs[stepAt(s - 1, T, opt.goBackwards)]!;
        q = run(back, [dys[0]!, recs[t]!, before, maskK, dhU, q], { ...u, step: t, prevStep });
        dGs[t] = tf.slice(q, [0, 0], [B, 4 * H]);
        dhU = tf.matMul(dGs[t] as tf.Tensor2D, recurrent, false, true);
        prevStep = t;
      }
      // ∂loss/∂h0: through the first step's product where it was real, else passed straight through.
      const mFirst = tf.reshape(tf.slice(maskK, [prevStep, 0], [1, B]), [B, 1]);
      const dhCarry = tf.slice(q, [0, 4 * H], [B, H]);
      const dh0 = tf.add(dhCarry, tf.mul(mFirst, tf.sub(dhU, dhCarry)));
      const dc0 = tf.slice(q, [0, 5 * H], [B, H]);
      const dG = tf.concat(dGs, 0) as tf.Tensor2D; // time-major [T*B, 4H]
      return [
        () => tf.transpose(tf.reshape(tf.matMul(dG, kernel, false, true), [T, B, In]), [1, 0, 2]),
        () => tf.matMul(xRows, dG, true, false),
        () => tf.matMul(tf.concat(hInK, 0) as tf.Tensor2D, dG, true, false),
        () => tf.sum(dG, 0),
        () => dh0,
        () => dc0,
      ];
    };
    return { values: [seq, hT, cT], backward };
  });
  if (!init.h) h0.dispose();
  if (!init.c) c0.dispose();
  return { sequence: outs[0] as tf.Tensor3D, h: outs[1] as tf.Tensor2D, c: outs[2] as tf.Tensor2D };
}
