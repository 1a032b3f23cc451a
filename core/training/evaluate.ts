// Loss and metrics over a whole split without updating anything: the validation pass after each epoch
// and `rnn-studio eval`. Means are weighted by real positions, so padding never counts and a short last
// batch weighs what it holds.
import * as tf from '@tensorflow/tfjs-core';
import type { StudioModel } from '../engine/types.js';
import type { SplitSummary } from '../telemetry/events.js';
import { finite } from '../telemetry/events.js';
import type { EpochAccumulator } from './checkpoint.js';
import type { ExampleSource } from './source.js';
import { realPositions } from './source.js';

export function emptyAccumulator(): EpochAccumulator {
  return { lossSum: 0, count: 0, metricSums: {}, tokens: 0 };
}

export function accumulate(
  acc: EpochAccumulator,
  loss: number,
  count: number,
  metrics: Record<string, number>,
  tokens: number,
): void {
  acc.lossSum += loss * count;
  acc.count += count;
  acc.tokens += tokens;
  for (const [k, v] of Object.entries(metrics)) acc.metricSums[k] = (acc.metricSums[k] ?? 0) + v * count;
}

/**
 * Means of an accumulator; perplexity = exp(mean token loss) for language models (never a mean of per-batch
 * perplexities).
 */
export function summarise(acc: EpochAccumulator, languageModel: boolean): SplitSummary {
  const n = acc.count > 0 ? acc.count : NaN;
  const metrics: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(acc.metricSums)) if (k !== 'perplexity') metrics[k] = finite(v / n);
  const loss = acc.lossSum / n;
  return { loss: finite(loss), metrics, ...(languageModel ? { perplexity: finite(Math.exp(loss)) } : {}) };
}

/** One read per batch, asynchronous (a GPU backend cannot read synchronously in Node). */
export async function evaluateSplit(
  model: StudioModel,
  source: ExampleSource,
  batchSize: number,
  languageModel: boolean,
): Promise<SplitSummary> {
  const acc = emptyAccumulator();
  for (let start = 0; start < source.size; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, source.size - start) }, (_, i) => start + i);
    const batch = source.batch(indices);
    let count = 0;
    let keys: string[] = [];
    const stacked = tf.tidy(() => {
      const result = model.forward(batch, { training: false });
      keys = Object.keys(result.metrics);
      count = result.count;
      return tf.stack([result.loss, ...keys.map((k) => result.metrics[k] as tf.Scalar)]);
    });
    const values = await stacked.data();
    stacked.dispose();
    const metrics = Object.fromEntries(keys.map((k, i) => [k, values[i + 1] as number]));
    accumulate(acc, values[0] as number, count, metrics, realPositions(batch));
  }
  return summarise(acc, languageModel);
}
