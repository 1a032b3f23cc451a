// Scheduled sampling (Bengio et al. 2015) for drawn graphs. A drawn decoder cannot feed its own predictions
// back step by step: they come out of the head, which may sit several blocks downstream. So the compiler
// uses the one-pass parallel form (Duckworth et al. 2019, "Parallel Scheduled Sampling"): a first pass
// without gradient (and without dropout) predicts every target position under teacher forcing; then each
// real target input after the start symbol keeps the true previous token with probability `teacherForcing`
// and otherwise takes the model's own argmax for that position; the training pass reads the mixed input.
// The hand-built seq2seq model (./model.ts) samples step by step instead; both are scheduled sampling.
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
      `Decoders "${sampled[0]!.id}" and "${differing.id}" ask for different teacher forcing (${sampled[0]!.rate} and ${differing.rate}); they read the same target input, so give them the same value.`,
    );
  }
  return sampled[0]!.rate;
}

/**
 * The batch with `targetIn` mixed: position t ≥ 1 of a real target step keeps the true token with
 * probability `rate`, else takes `predicted[b, t-1]` (the model's guess of target token t). Padded steps
 * and the start symbol are never changed.
 */
export function mixTargetInputs(
  batch: Batch,
  predicted: Int32Array,
  rate: number,
  random: () => number,
): Batch {
  const targetIn = batch.targetIn;
  const mask = batch.targetMask;
  if (!targetIn || !mask)
    throw new Error('Scheduled sampling needs a sequence-to-sequence batch (targetIn and targetMask).');
  const [b, t] = targetIn.shape as [number, number];
  if (predicted.length !== b * t)
    throw new Error(`Scheduled sampling: ${predicted.length} predictions for a target of ${b}×${t}.`);
  const mixed = Int32Array.from(targetIn.data as Int32Array);
  for (let row = 0; row < b; row++) {
    for (let s = 1; s < t; s++) {
      const at = row * t + s;
      if (mask.data[at]! > 0 && random() >= rate) mixed[at] = predicted[at - 1]!;
    }
  }
  return { ...batch, targetIn: { dtype: 'int32', shape: [b, t], data: mixed } };
}

/** Argmax over the last axis of a head's [B,T,V] output, as a flat [B·T] array. */
export function argmaxTokens(probabilities: tf.Tensor): Int32Array {
  return tf.tidy(() => tf.argMax(probabilities, -1).dataSync() as Int32Array);
}
