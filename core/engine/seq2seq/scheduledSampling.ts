// Scheduled sampling (Bengio et al. 2015) for drawn graphs. A drawn decoder cannot feed its own predictions
// back step by step: they come out of the head, which may sit several blocks downstream. So the compiler
// uses the one-pass parallel form (Duckworth et al. 2019, "Parallel Scheduled Sampling"): a first pass
// without gradient (and without dropout) predicts every target position under teacher forcing; then each
// real target input after the start symbol keeps the true previous token with probability `teacherForcing`
// and otherwise takes the model's own argmax for that position; the training pass reads the mixed input.
// The predictions never leave the backend (compile.ts runs the first pass off the gradient tape): on a
// GPU a read in the middle of a training step would stall it.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../../data/batch.js';
import type { GraphInference } from '../../graph/infer.js';

/** The teacher-forcing probability the graph's decoders ask for, or null when all of them use 1. */
export function samplingRate(inference: GraphInference): number | null {
  const rates = Object.entries(inference.nodes)
    .filter(([, n]) => n.kind === 'decoder')
    .map(([id, n]) => ({ id, rate: (n.params?.teacherForcing as number | undefined) ?? 1 }));
  const sampled = rates.filter((r) => r.rate < 1);
  if (sampled.length === 0) return null;
  const differing = rates.find((r) => r.rate !== sampled[0]!.rate);
  if (differing) {
    // All decoders read the one target input, so they cannot be fed different mixes.
    throw new Error(
      `Decoders "${sampled[0]!.id}" and "${differing.id}" ask for different teacher forcing ` +
        `(${sampled[0]!.rate} and ${differing.rate}); they read the same target input, ` +
        `so give them the same value.`,
    );
  }
  return sampled[0]!.rate;
}

/**
 * The target input mixed, as an int32 tensor [B,T]: position t ≥ 1 of a real target step keeps the true
 * token with probability `rate`, else takes `predicted[b, t-1]` (the model's guess of target token t,
 * int32 [B,T]). Padded steps and the start symbol are never changed. The draws are made on the host (in
 * row order, one per eligible position, so a seeded run repeats them); the predictions stay where they
 * are: on a GPU nothing is read back.
 */
export function mixTargetInputs(
  batch: Batch,
  predicted: tf.Tensor,
  rate: number,
  random: () => number,
): tf.Tensor2D {
  const targetIn = batch.targetIn;
  const mask = batch.targetMask;
  if (!targetIn || !mask)
    throw new Error('Scheduled sampling needs a sequence-to-sequence batch (targetIn and targetMask).');
  const [b, t] = targetIn.shape as [number, number];
  if (predicted.shape.join(',') !== `${b},${t}`)
    throw new Error(`Scheduled sampling: predictions [${predicted.shape}] for a target of ${b}×${t}.`);
  const keep = new Uint8Array(b * t).fill(1);
  for (let row = 0; row < b; row++) {
    for (let s = 1; s < t; s++) {
      const at = row * t + s;
      if (mask.data[at]! > 0 && random() >= rate) keep[at] = 0;
    }
  }
  return tf.tidy(() => {
    const truth = tf.tensor2d(targetIn.data as Int32Array, [b, t], 'int32');
    if (t < 2) return truth;
    const previous = tf.concat([tf.slice(truth, [0, 0], [b, 1]), tf.slice(predicted, [0, 0], [b, t - 1])], 1);
    return tf.where(tf.tensor2d(keep, [b, t], 'bool'), truth, previous) as tf.Tensor2D;
  });
}
