// The gradient of an embedding table [V,E] on webgpu: row v is the sum of ∂loss/∂output over the
// positions whose token id is v. The ids are the batch's own (host values, never read back), so the
// positions of each id are grouped on the host (counting sort: `start` [V+1], `order` [n]) and one
// invocation per table entry (v, e) sums its id's rows: deterministic (no atomics, the same sum every
// run), one dispatch, and each position's row read once per column.
//
// Why not tf.unsortedSegmentSum: tfjs-backend-webgpu transposes its input [n,E] and its output [E,V]
// around an atomic scatter; the output transpose copies the whole table through a shared-memory tiled
// transpose. On the SwiftShader emulator that transpose took about 0.2–0.5 s of tag-bilstm's 1.6 s
// step at V 5000 (scripts/bench/webgpuProfile.mts), and on any GPU it is a pass over the full table.
import * as tf from '@tensorflow/tfjs-core';
import { runWebGpuProgram } from '../../tfjsInternals.js';

const WORKGROUP = 64;

const gradientShader = `
  fn main(index : i32) {
    let E = uniforms.width;
    if (index >= uniforms.rows * E) { return; }
    let v = index / E;
    let e = index - v * E;
    var acc = 0.0;
    for (var k = START[v]; k < START[v + 1]; k++) { acc = acc + DY[ORDER[k] * E + e]; }
    setOutputAtIndex(index, acc);
  }
`;

/** The positions of each id, grouped by id: order[start[v] .. start[v+1]) are id v's positions. */
export function positionsById(ids: Int32Array, V: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(V + 1);
  for (const id of ids) start[id + 1]! += 1;
  for (let v = 0; v < V; v++) start[v + 1]! += start[v]!;
  const next = start.slice(0, V);
  const order = new Int32Array(ids.length);
  ids.forEach((id, i) => (order[next[id]!++] = i));
  return { start, order };
}

/** ∂loss/∂table [V,E] from ∂loss/∂output [n,E] and the n ids (all within 0..V-1), on webgpu. */
export function embeddingGradient(dy: tf.Tensor2D, ids: Int32Array, V: number): tf.Tensor2D {
  const E = dy.shape[1];
  const { start, order } = positionsById(ids, V);
  const program = {
    variableNames: ['DY', 'START', 'ORDER'],
    outputShape: [V, E],
    shaderKey: 'rnnStudioEmbeddingGradient',
    uniforms: 'rows : i32, width : i32,',
    workgroupSize: [WORKGROUP, 1, 1] as [number, number, number],
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil((V * E) / WORKGROUP), 1, 1] as [number, number, number],
    getUserCode: () => gradientShader,
  };
  return tf.tidy(() => {
    const starts = tf.tensor1d(start, 'int32');
    const orders = tf.tensor1d(order, 'int32');
    return runWebGpuProgram(program, [dy, starts, orders], [V, E]) as tf.Tensor2D;
  });
}
