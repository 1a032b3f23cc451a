// One Adam (or AdamW) update of a weight on webgpu in one kernel: m, v and the weight together.
//
// Why: the update as tf ops is 14 elementwise dispatches per weight (optimizers.ts), each a pass over the
// weight; one kernel reads w, g, m and v once and writes the three results (packed [3,n], then three
// slices: 4 dispatches). On the SwiftShader emulator the ops took about a tenth of tag-bilstm's device
// time, most of it on the [5000,25] embedding table (scripts/bench/webgpuProfile.mts); on a GPU, 14
// passes over a large table are 14 round trips through memory. The same operations in the same order as
// the tf ops, in float32 (the constants rounded to float32 as tfjs's scalars are).
import * as tf from '@tensorflow/tfjs-core';
import { runWebGpuProgram } from '../engine/tfjsInternals.js';
import { adamConstants, type AdamConstants } from '../engine/wasm/adam.js';

const WORKGROUP = 64;

// C = (β1, 1−β1, β2, 1−β2, 1−β1^t, 1−β2^t, ε, learning rate).
const shader = `
  fn main(index : i32) {
    let n = uniforms.size;
    if (index >= n) { return; }
    let g = G[index];
    let m = M[index] * C[0] + g * C[1];
    let v = V[index] * C[2] + (g * g) * C[3];
    let step = (m / C[4]) / (sqrt(v / C[5]) + C[6]);
    setOutputAtIndex(index, m);
    setOutputAtIndex(n + index, v);
    setOutputAtIndex(2 * n + index, W[index] - step * C[7]);
  }
`;

export const webgpuAdamApplies = (): boolean => tf.getBackend() === 'webgpu';

/** The new m, v and weight of one Adam update, each shaped like the weight. */
export function webgpuAdamStep(
  w: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  c: AdamConstants,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const n = w.size;
  const program = {
    variableNames: ['W', 'G', 'M', 'V', 'C'],
    outputShape: [3, n],
    shaderKey: 'rnnStudioAdam',
    uniforms: 'size : i32,',
    workgroupSize: [WORKGROUP, 1, 1] as [number, number, number],
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil(n / WORKGROUP), 1, 1] as [number, number, number],
    getUserCode: () => shader,
  };
  const constants = tf.tensor1d(adamConstants(c));
  const flat = (t: tf.Tensor) => tf.reshape(t, [n]);
  const packed = runWebGpuProgram(program, [flat(w), flat(g), flat(m), flat(v), constants], [n]);
  const part = (row: number) => tf.reshape(tf.slice(packed, [row, 0], [1, n]), w.shape);
  return [part(0), part(1), part(2)];
}
