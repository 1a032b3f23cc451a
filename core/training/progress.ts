// Early stopping and save-best watch one metric: its value after an epoch, whether it improved, and
// whether patience ran out. Without validation data, `validation.x` falls back to `train.x`.
import type { SplitSummary } from '../telemetry/events.js';
import type { ProgressTracker } from './checkpoint.js';
import type { EarlyStoppingConfig } from './config.js';

export function initialTracker(): ProgressTracker {
  return { bestValue: null, bestEpoch: 0, badEpochs: 0 };
}

function readMetric(summary: SplitSummary | undefined, name: string): number | null {
  if (!summary) return null;
  if (name === 'loss') return summary.loss;
  if (name === 'perplexity') return summary.perplexity ?? null;
  return summary.metrics[name] ?? null;
}

/** The watched value this epoch, and whether higher is better for it. */
export function watchedValue(
  metric: EarlyStoppingConfig['metric'],
  train: SplitSummary,
  validation: SplitSummary | undefined,
): { value: number | null; higherIsBetter: boolean } {
  const [split, name = 'loss'] = metric.split('.') as [string, string];
  const value = readMetric(split === 'validation' && validation ? validation : train, name) ?? train.loss;
  return { value, higherIsBetter: name === 'accuracy' && value !== train.loss };
}

/** Record an epoch's watched value; `improved` marks a new best. */
export function track(
  tracker: ProgressTracker,
  epoch: number,
  watched: { value: number | null; higherIsBetter: boolean },
  minDelta: number,
): { tracker: ProgressTracker; improved: boolean } {
  const { value, higherIsBetter } = watched;
  if (value === null || !Number.isFinite(value))
    return { tracker: { ...tracker, badEpochs: tracker.badEpochs + 1 }, improved: false };
  const best = tracker.bestValue;
  const improved = best === null || (higherIsBetter ? value > best + minDelta : value < best - minDelta);
  if (improved) return { tracker: { bestValue: value, bestEpoch: epoch, badEpochs: 0 }, improved };
  return { tracker: { ...tracker, badEpochs: tracker.badEpochs + 1 }, improved };
}
