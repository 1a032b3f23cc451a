// Elman RNN (tanh or relu) on webgpu with fused WGSL kernels: per time step the recurrent product, one
// fused elementwise kernel and one slice, forward and backward; the weight gradients of all steps are one
// matMul each after the loop. Kernel layout and costs: webgpuPrograms.ts.
//
// a_t = act(x·W + b + h·U), h_t = a_t on a real step, h_{t-1} on a padded one.
// Forward record R_t [B,2H] = (a_t, h_t): a_t gives act' in backward (tanh: 1 − a², relu: a > 0).
// Backward record Q_t [B,2H] = (dG masked, carry): dG = dh ⊙ act' feeds every weight gradient and,
// through dG·Uᵀ (the next backward step's product), ∂loss/∂h_{t-1}; carry is dh itself on a padded step
// (the state passed straight through), 0 on a real one.
import * as tf from '@tensorflow/tfjs-core';
import type { CellResult, CellState, CellWeights } from '../recurrent.js';
import { runFused, stepAt, type RecurrentOptions } from '../sequence.js';
import { program, run, timeMajorMask } from './webgpuPrograms.js';

const ACTIVATIONS = {
  tanh: {
    forward: 'let e = exp(-2.0 * abs(z)); let a = sign(z) * (1.0 - e) / (1.0 + e);',
    derivative: '(1.0 - a * a)',
  },
  relu: { forward: 'let a = max(z, 0.0);', derivative: 'select(0.0, 1.0, a > 0.0)' },
};
type Activation = keyof typeof ACTIVATIONS;

const forwardBody = (activation: Activation) => `
  fn main(index : i32) {
    let H = uniforms.units;
    let B = uniforms.batch;
    if (index >= B * H) { return; }
    let b = index / H;
    let j = index - b * H;
    let z = XZ[(uniforms.stepIndex * B + b) * H + j] + HU[b * H + j];
    ${ACTIVATIONS[activation].forward}
    let ro = b * 2 * H + j;
    let hPrev = PREV[ro + H];
    let m = M[uniforms.stepIndex * B + b];
    setOutputAtIndex(ro, a);
    setOutputAtIndex(ro + H, hPrev + m * (a - hPrev));
  }
`;

const backwardBody = (activation: Activation) => `
  fn main(index : i32) {
    let H = uniforms.units;
    let B = uniforms.batch;
    if (index >= B * H) { return; }
    let b = index / H;
    let j = index - b * H;
    let qo = b * 2 * H + j;
    let dh = DHU[b * H + j] + QN[qo + H] + DSEQ[(b * uniforms.time + uniforms.stepIndex) * H + j];
    let a = REC[b * 2 * H + j];
    let m = M[uniforms.stepIndex * B + b];
    setOutputAtIndex(qo, m * dh * ${ACTIVATIONS[activation].derivative});
    setOutputAtIndex(qo + H, (1.0 - m) * dh);
  }
`;

export function elmanOnWebGpu(
  x: tf.Tensor3D,
  w: CellWeights,
  init: CellState,
  activation: Activation,
  opt: RecurrentOptions,
): CellResult {
  const [B, T, In] = x.shape;
  const H = w.recurrentKernel.shape[0];
  const h0 = init.h ?? tf.zeros([B, H]);
  const inputs: tf.Tensor[] = [x, w.kernel, w.recurrentKernel, w.bias, h0];
  const outs = runFused(inputs, (save) => {
    const [xs, kernel, recurrent, bias] = inputs as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor];
    const u = { units: H, batch: B, time: T, prevStep: -1 };
    const xTime = tf.reshape(tf.transpose(xs, [1, 0, 2]), [T * B, In]) as tf.Tensor2D;
    const xz = tf.add(tf.matMul(xTime, kernel), bias); // [T*B, H], time-major
    const mask = timeMajorMask(opt, B, T);
    const forward = program(
      `rnnStudioElmanForward_${activation}`,
      ['XZ', 'HU', 'PREV', 'M'],
      [B, 2 * H],
      B * H,
      forwardBody(activation),
    );
    const first = tf.concat([tf.zeros([B, H]), h0], 1);
    const records: tf.Tensor[] = new Array(T);
    const hIns: tf.Tensor[] = new Array(T);
    let prev = first;
    for (let s = 0; s < T; s++) {
      const t = stepAt(s, T, opt.goBackwards);
      const hIn = s === 0 ? h0 : tf.slice(prev, [0, H], [B, H]);
      const rec = run(forward, [xz, tf.matMul(hIn as tf.Tensor2D, recurrent), prev, mask], { ...u, step: t });
      records[t] = rec;
      hIns[t] = hIn;
      prev = rec;
    }
    const seq = tf.stack(
      records.map((r) => tf.slice(r, [0, H], [B, H])),
      1,
    );
    const hT = tf.slice(prev, [0, H], [B, H]);
    save([xTime, mask, ...records, ...hIns]);

    const backward = (dys: tf.Tensor[], kept: tf.Tensor[]) => {
      const [xRows, maskK] = kept as [tf.Tensor2D, tf.Tensor];
      const recs = kept.slice(2, 2 + T);
      const hInK = kept.slice(2 + T, 2 + 2 * T);
      const back = program(
        `rnnStudioElmanBackward_${activation}`,
        ['DSEQ', 'REC', 'M', 'DHU', 'QN'],
        [B, 2 * H],
        B * H,
        backwardBody(activation),
      );
      let q = tf.concat([tf.zeros([B, H]), dys[1]!], 1);
      let dhU: tf.Tensor = tf.zeros([B, H]);
      let prevStep = -1;
      const dGs: tf.Tensor[] = new Array(T);
      for (let s = T - 1; s >= 0; s--) {
        const t = stepAt(s, T, opt.goBackwards);
        q = run(back, [dys[0]!, recs[t]!, maskK, dhU, q], { ...u, step: t, prevStep });
        dGs[t] = tf.slice(q, [0, 0], [B, H]);
        dhU = tf.matMul(dGs[t] as tf.Tensor2D, recurrent, false, true);
        prevStep = t;
      }
      // ∂loss/∂h0: through the first step's product, or passed straight through a padded first step.
      const dh0 = tf.add(dhU, tf.slice(q, [0, H], [B, H]));
      const dG = tf.concat(dGs, 0) as tf.Tensor2D; // time-major [T*B, H]
      return [
        () => tf.transpose(tf.reshape(tf.matMul(dG, kernel, false, true), [T, B, In]), [1, 0, 2]),
        () => tf.matMul(xRows, dG, true, false),
        () => tf.matMul(tf.concat(hInK, 0) as tf.Tensor2D, dG, true, false),
        () => tf.sum(dG, 0),
        () => dh0,
      ];
    };
    return { values: [seq, hT], backward };
  });
  if (!init.h) h0.dispose();
  return { sequence: outs[0] as tf.Tensor3D, h: outs[1] as tf.Tensor2D };
}
