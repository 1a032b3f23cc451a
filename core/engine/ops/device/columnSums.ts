// Sums over the rows of a [N, C] matrix (a bias's gradient: ∂loss/∂b = Σ over positions of ∂loss/∂y).
//
// Why a kernel of its own on webgpu: tfjs-backend-webgpu sums over axis 0 by transposing the whole matrix
// first (a shared-memory tiled transpose, one more dispatch and a copy of the matrix) and then reducing
// the rows of the transpose. One invocation per column, walking down the rows, reads the matrix where it
// lies: neighbouring invocations read neighbouring columns (coalesced on a GPU), one dispatch, no copy.
// Measured on the SwiftShader emulator, the transpose alone of lm-lstm's [1600,256] gate gradients took
// about 0.5 s of a 5 s step (scripts/bench/webgpuProfile.mts). Elsewhere tf.sum is the right tool.
import * as tf from '@tensorflow/tfjs-core';
import { runWebGpuProgram } from '../../tfjsInternals.js';

const WORKGROUP = 64;

const sumsShader = `
  fn main(index : i32) {
    let C = uniforms.columns;
    if (index >= C) { return; }
    var acc = 0.0;
    for (var r = 0; r < uniforms.rows; r++) { acc = acc + X[r * C + index]; }
    setOutputAtIndex(index, acc);
  }
`;

/** Σ over rows of x [N, C]: a [C] vector. */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  if (tf.getBackend() !== 'webgpu') return tf.sum(x, 0);
  const [N, C] = x.shape;
  const program = {
    variableNames: ['X'],
    outputShape: [C],
    shaderKey: 'rnnStudioColumnSums',
    uniforms: 'rows : i32, columns : i32,',
    workgroupSize: [WORKGROUP, 1, 1] as [number, number, number],
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(C / WORKGROUP), 1, 1] as [number, number, number],
    getUserCode: () => sumsShader,
  };
  return runWebGpuProgram(program, [x], [N, C]) as tf.Tensor1D;
}
