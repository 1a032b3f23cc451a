// Masked losses and metrics for a head's logits: padded positions count in neither the loss, its
// gradient, nor any metric. The loss is the mean over real positions (ForwardResult.count of them).
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, BatchTensor } from '../data/batch.js';
import type { TaskId } from '../data/spec.js';
import { fusedSoftmaxLossApplies, softmaxCrossEntropy } from './ops/device/softmaxCrossEntropy.js';

export type HeadActivation = 'softmax' | 'sigmoid' | 'linear';

export interface HeadLoss {
  loss: tf.Scalar;
  count: number;
  metrics: Record<string, tf.Scalar>;
  /** Probabilities (softmax, sigmoid) or values (linear). */
  output: tf.Tensor;
}

function targetsFor(
  task: TaskId,
  batch: Batch,
  activation: HeadActivation,
): { y: BatchTensor; mask: BatchTensor | undefined } {
  const need = (field: keyof Batch): BatchTensor => {
    const t = batch[field];
    if (!t) throw new Error(`The ${task} task needs "${field}" in each batch, but the dataset gives none.`);
    return t;
  };
  if (task === 'seq2seq') return { y: need('targetOut'), mask: batch.targetMask };
  if (task === 'tagging' || task === 'language-model') return { y: need('labels'), mask: batch.mask };
  if (task === 'regression' || (activation === 'linear' && batch.targets))
    return { y: need('targets'), mask: undefined };
  return { y: need('labels'), mask: undefined };
}

/** Per-position weights [positions] (1 = real) and their count. */
function positionWeights(
  mask: BatchTensor | undefined,
  positions: number,
): { w: tf.Tensor1D; count: number } {
  if (!mask) return { w: tf.ones([positions]), count: positions };
  let count = 0;
  for (const v of mask.data) count += v;
  return { w: tf.tensor1d(Float32Array.from(mask.data)), count };
}

/** What a head outputs for its logits: class probabilities, independent probabilities, or values. */
export function headOutput(activation: HeadActivation, logits: tf.Tensor): tf.Tensor {
  if (activation === 'softmax') return tf.softmax(logits);
  if (activation === 'sigmoid') return tf.sigmoid(logits);
  return logits;
}

/**
 * Mean −log softmax at the label, whether the most probable class is the label, and (on webgpu, where
 * one kernel computes them all: softmaxCrossEntropy.ts) the probabilities.
 */
function softmaxLoss(
  flat: tf.Tensor2D,
  labels: tf.Tensor1D,
  mean: (perPosition: tf.Tensor) => tf.Scalar,
): { loss: tf.Scalar; correct: tf.Tensor; output: tf.Tensor | null } {
  if (fusedSoftmaxLossApplies(flat.shape[1])) {
    const fused = softmaxCrossEntropy(flat, labels);
    return { loss: mean(fused.nll), correct: fused.correct, output: fused.probabilities };
  }
  const onehot = tf.oneHot(labels, flat.shape[1]);
  // logSoftmax, not logSumExp − logit: logSumExp's gradient goes through max(), whose gradient is a
  // broadcast equal() that takes ~50 ms for [6400,65] on wasm (7% of an lm-lstm step); logSoftmax has
  // its own closed-form gradient.
  const loss = mean(tf.neg(tf.sum(tf.mul(tf.logSoftmax(flat), onehot), 1)));
  return { loss, correct: tf.cast(tf.equal(tf.argMax(flat, 1), labels), 'float32'), output: null };
}

export function headLoss(
  task: TaskId,
  activation: HeadActivation,
  logits: tf.Tensor,
  batch: Batch,
): HeadLoss {
  const { y, mask } = targetsFor(task, batch, activation);
  const units = logits.shape[logits.rank - 1]!;
  const positions = logits.size / units;
  const flat = tf.reshape(logits, [positions, units]) as tf.Tensor2D;
  const { w, count } = positionWeights(mask, positions);
  const denom = Math.max(count, 1);
  const mean = (perPosition: tf.Tensor) => tf.div(tf.sum(tf.mul(perPosition, w)), denom) as tf.Scalar;
  const metrics: Record<string, tf.Scalar> = {};
  if (activation === 'softmax') {
    if (y.data.length !== positions)
      throw new Error(
        `The head predicts ${positions} positions ` +
          `but the batch has ${y.data.length} labels (shape [${y.shape}]).`,
      );
    const labels = tf.tensor1d(Int32Array.from(y.data), 'int32');
    const { loss, correct, output } = softmaxLoss(flat, labels, mean);
    metrics.accuracy = mean(correct);
    if (task === 'language-model') metrics.perplexity = tf.exp(loss) as tf.Scalar;
    if (task === 'seq2seq' && y.shape.length === 2) {
      // A sequence is exactly right when every real position is: min over steps of (correct or padded).
      const [B, T] = y.shape as [number, number];
      const ok = tf.reshape(tf.maximum(correct, tf.sub(1, w)), [B, T]);
      metrics.exactMatch = tf.mean(tf.min(ok, 1)) as tf.Scalar;
    }
    return {
      loss,
      count,
      metrics,
      output: output ? tf.reshape(output, logits.shape) : headOutput(activation, logits),
    };
  }
  if (y.data.length !== positions * units)
    throw new Error(
      `The head has ${units} output(s) per position but the batch's targets have shape [${y.shape}].`,
    );
  const target = tf.tensor2d(Float32Array.from(y.data), [positions, units]);
  if (activation === 'sigmoid') {
    // Binary cross-entropy from logits, stable form: max(z,0) − z·y + log(1 + e^−|z|).
    const bce = tf.add(tf.sub(tf.relu(flat), tf.mul(flat, target)), tf.log1p(tf.exp(tf.neg(tf.abs(flat)))));
    const loss = mean(tf.mean(bce, 1));
    metrics.accuracy = mean(
      tf.mean(tf.cast(tf.equal(tf.greater(flat, 0), tf.greater(target, 0.5)), 'float32'), 1),
    );
    return { loss, count, metrics, output: headOutput(activation, logits) };
  }
  const loss = mean(tf.mean(tf.square(tf.sub(flat, target)), 1));
  metrics.mse = loss;
  return { loss, count, metrics, output: logits };
}
