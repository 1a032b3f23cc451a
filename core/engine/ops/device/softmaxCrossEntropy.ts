// Softmax cross-entropy of a head's logits on webgpu, for up to MAX_CLASSES classes: one kernel computes
// per position the probabilities, −log p[label] and whether the most probable class is the label
// (accuracy), and one computes the gradient (p − onehot(label))·∂loss/∂(−log p[label]).
//
// Why: the same loss as tf ops (logSoftmax, its one-hot pick, argMax, softmax for the output) is about 25
// dispatches a step, four of them row reductions that tfjs-backend-webgpu runs as a workgroup per row with
// a shared-memory tree (on the SwiftShader emulator about a quarter of lm-lstm's device time, measured
// with scripts/bench/webgpuProfile.mts). With few classes a row is a short loop for one invocation, and a
// workgroup per row leaves most of its invocations idle; with many (a word-level vocabulary) the
// workgroup's parallel tree wins, so wider rows keep tfjs's ops.
import * as tf from '@tensorflow/tfjs-core';
import { runWebGpuProgram } from '../../tfjsInternals.js';
import { runFused } from '../sequence.js';

/** The widest row (classes) this kernel takes; wider rows take tfjs's ops. */
export const MAX_CLASSES = 256;
const WORKGROUP = 64;

export function fusedSoftmaxLossApplies(classes: number): boolean {
  return tf.getBackend() === 'webgpu' && classes <= MAX_CLASSES;
}

// Output row i: [p_0 … p_{V-1}, −log p[label], correct]. The first largest logit is the prediction (as
// tf.argMax); a label outside 0..V-1 has loss 0, no gradient and is never correct (as with its all-zero
// one-hot row).
const forwardShader = `
  fn main(index : i32) {
    let V = uniforms.width;
    if (index >= uniforms.rows) { return; }
    let o = index * V;
    var best = X[o];
    var arg = 0;
    for (var j = 1; j < V; j++) { let v = X[o + j]; if (v > best) { best = v; arg = j; } }
    var total = 0.0;
    for (var j = 0; j < V; j++) { total = total + exp(X[o + j] - best); }
    let out = index * (V + 2);
    for (var j = 0; j < V; j++) { setOutputAtIndex(out + j, exp(X[o + j] - best) / total); }
    let label = L[index];
    let known = label >= 0 && label < V;
    setOutputAtIndex(out + V, select(0.0, best + log(total) - X[o + clamp(label, 0, V - 1)], known));
    setOutputAtIndex(out + V + 1, select(0.0, 1.0, known && arg == label));
  }
`;

const backwardShader = `
  fn main(index : i32) {
    let V = uniforms.width;
    if (index >= uniforms.rows * V) { return; }
    let i = index / V;
    let j = index - i * V;
    let label = L[i];
    let known = label >= 0 && label < V;
    setOutputAtIndex(index, select(0.0, (P[i * (V + 2) + j] - select(0.0, 1.0, j == label)) * DY[i], known));
  }
`;

function program(key: string, names: string[], outputShape: number[], threads: number, body: string) {
  return {
    variableNames: names,
    outputShape,
    shaderKey: key,
    uniforms: 'rows : i32, width : i32,',
    workgroupSize: [WORKGROUP, 1, 1] as [number, number, number],
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(threads / WORKGROUP), 1, 1] as [number, number, number],
    getUserCode: () => body,
  };
}

export interface SoftmaxLoss {
  /** −log p[label] per position [N], differentiable with respect to the logits. */
  nll: tf.Tensor1D;
  /** 1 where the most probable class is the label [N]. */
  correct: tf.Tensor1D;
  probabilities: tf.Tensor2D;
}

/** Softmax cross-entropy of logits [N,V] (V ≤ MAX_CLASSES) against int32 labels [N], on webgpu. */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): SoftmaxLoss {
  const [N, V] = logits.shape;
  // One tape node with three outputs; only the loss has a gradient (the others are constants).
  const [nll, correct, probabilities] = runFused([logits, labels], (save) => {
    const forward = program('rnnStudioSoftmaxLoss', ['X', 'L'], [N, V + 2], N, forwardShader);
    const packed = runWebGpuProgram(forward, [logits, labels], [N, V]);
    save([packed, labels]);
    const column = (at: number) => tf.reshape(tf.slice(packed, [0, at], [N, 1]), [N]);
    return {
      values: [column(V), column(V + 1), tf.slice(packed, [0, 0], [N, V])],
      backward: (dys, saved) => {
        const back = program('rnnStudioSoftmaxLossGrad', ['P', 'L', 'DY'], [N, V], N * V, backwardShader);
        return [
          () => runWebGpuProgram(back, [saved[0]!, saved[1]!, dys[0]!], [N, V]),
          () => tf.zerosLike(labels),
        ];
      },
    };
  });
  return {
    nll: nll as tf.Tensor1D,
    correct: correct as tf.Tensor1D,
    probabilities: probabilities as tf.Tensor2D,
  };
}
