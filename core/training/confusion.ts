// Which class the model picked against the true one, over a whole split: the confusion matrix (rows =
// true class, columns = predicted) and per-class precision, recall and F1, for classification (one label
// per example) and tagging (one per real token). The numbers behind the studio's confusion heatmap and
// `rnn-studio eval --json`.
import * as tf from '@tensorflow/tfjs-core';
import type { StudioModel } from '../engine/types.js';
import type { ClassScore, Confusion } from './evaluationReport.js';
import type { ExampleSource } from './source.js';

export type { ClassScore, Confusion };

/** Per-class precision, recall and F1 from a confusion matrix (null where a ratio has no denominator). */
export function classScores(labels: readonly string[], matrix: readonly (readonly number[])[]): ClassScore[] {
  return labels.map((label, k) => {
    const tp = matrix[k]![k]!;
    const support = matrix[k]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, row) => a + row[k]!, 0);
    const precision = predicted > 0 ? tp / predicted : null;
    const recall = support > 0 ? tp / support : null;
    const f1 =
      precision !== null && recall !== null && precision + recall > 0
        ? (2 * precision * recall) / (precision + recall)
        : precision === 0 || recall === 0
          ? 0
          : null;
    return { label, precision, recall, f1, support };
  });
}

/**
 * Adds one batch's picks to `matrix`: `probabilities` [N, K] (or [N, 1] for a sigmoid head), `truth` [N],
 * `mask` [N] (1 = counts).
 */
export function tally(
  matrix: number[][],
  probabilities: Float32Array,
  width: number,
  truth: ArrayLike<number>,
  mask?: ArrayLike<number>,
): void {
  for (let i = 0; i < truth.length; i++) {
    if (mask && !(mask[i]! > 0)) continue;
    let pick = 0;
    if (width === 1) pick = probabilities[i]! > 0.5 ? 1 : 0;
    else {
      for (let k = 1; k < width; k++)
        if (probabilities[i * width + k]! > probabilities[i * width + pick]!) pick = k;
    }
    const row = matrix[truth[i]!];
    if (row && pick < row.length) row[pick]!++;
  }
}

/** The confusion over every example of `source` (classification or tagging models). */
export async function confusionOf(
  model: StudioModel,
  source: ExampleSource,
  batchSize: number,
  labels: readonly string[],
  head?: string,
): Promise<Confusion> {
  const k = labels.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let start = 0; start < source.size; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, source.size - start) }, (_, i) => start + i);
    const batch = source.batch(indices);
    const truth = batch.labels;
    if (!truth) continue;
    const out = tf.tidy(() => {
      const { outputs } = model.forward(batch, { training: false });
      return outputs[head ?? Object.keys(outputs).find((name) => !name.includes('/'))!]!;
    });
    // Read without blocking: a GPU backend (webgpu) has no synchronous read in Node.
    const probabilities = (await out.data()) as Float32Array;
    const width = out.shape[out.shape.length - 1] ?? 1;
    out.dispose();
    // Tagging: one pick per position, masked by the batch's mask; classification: one per example.
    tally(matrix, probabilities, width, truth.data, truth.shape.length > 1 ? batch.mask?.data : undefined);
  }
  return { labels: [...labels], matrix, perClass: classScores(labels, matrix) };
}
