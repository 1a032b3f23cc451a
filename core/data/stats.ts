// Dataset statistics the UI shows beside the preview: length histogram, how much of the text the
// vocabulary covers, label counts with a class balance warning. Pure, so the wizard can recompute them.
import { bucketingSavings } from './batching.js';
import type { EncodedExample } from './encode.js';
import type { DatasetSpec } from './spec.js';
import { ESCAPE } from './tokenizers/character.js';
import { UNK } from './tokenizers/vocabulary.js';

export interface LengthStats {
  min: number;
  max: number;
  mean: number;
  median: number;
  p95: number;
  /** Equal-width bins over [min, max], at most 20. */
  histogram: { from: number; to: number; count: number }[];
}

export interface LabelCount {
  label: string;
  count: number;
  fraction: number;
}

export interface DatasetStats {
  examples: number;
  truncated: number;
  lengths: LengthStats;
  vocabulary: { size: number; tokens: number; unknown: number; coverage: number };
  labels?: LabelCount[];
  /** Padding with random vs length-bucketed batches of 32 (on the measured examples). */
  bucketing?: { batchSize: number; randomPadded: number; bucketedPadded: number; saved: number };
  /** Set when lengths, coverage and truncation were measured on a sample of this many examples. */
  sampled?: number;
  /** Largest over smallest class count, and a warning when above 3. */
  balance?: { ratio: number; warning?: string };
}

export function lengthStats(lengths: readonly number[]): LengthStats {
  if (lengths.length === 0) return { min: 0, max: 0, mean: 0, median: 0, p95: 0, histogram: [] };
  const sorted = [...lengths].sort((a, b) => a - b);
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const bins = Math.max(1, Math.min(20, max - min + 1));
  const width = (max - min + 1) / bins;
  const histogram = Array.from({ length: bins }, (_, i) => ({
    from: Math.ceil(min + i * width),
    to: Math.ceil(min + (i + 1) * width) - 1,
    count: 0,
  }));
  for (const l of sorted) histogram[Math.min(bins - 1, Math.floor((l - min) / width))]!.count++;
  return {
    min,
    max,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    median: at(0.5),
    p95: at(0.95),
    histogram,
  };
}

export function classBalance(
  labelIds: readonly number[],
  names: readonly string[],
): { labels: LabelCount[]; balance: { ratio: number; warning?: string } } {
  const counts = names.map(() => 0);
  for (const id of labelIds) counts[id] = (counts[id] ?? 0) + 1;
  return balanceFromCounts(counts, names);
}

/** Class balance from counts per class (in `names` order). */
export function balanceFromCounts(
  counts: readonly number[],
  names: readonly string[],
): { labels: LabelCount[]; balance: { ratio: number; warning?: string } } {
  const total = Math.max(
    1,
    counts.reduce((a, b) => a + b, 0),
  );
  const labels = names.map((label, i) => ({ label, count: counts[i]!, fraction: counts[i]! / total }));
  const present = counts.filter((c) => c > 0);
  const ratio = present.length === 0 ? 1 : Math.max(...present) / Math.min(...present);
  const missing = labels.filter((l) => l.count === 0).map((l) => l.label);
  const warning =
    missing.length > 0
      ? `no examples of ${missing.join(', ')}`
      : ratio > 3
        ? `classes are imbalanced (largest/smallest = ${ratio.toFixed(1)}): accuracy alone can mislead`
        : undefined;
  return { labels, balance: warning ? { ratio, warning } : { ratio } };
}

export function datasetStats(spec: DatasetSpec, encoded: readonly EncodedExample[]): DatasetStats {
  const vocabulary = spec.vocabulary ?? [];
  const escape = spec.tokenizer.kind === 'character' ? vocabulary.indexOf(ESCAPE) : -1;
  let tokens = 0;
  let unknown = 0;
  for (const e of encoded) {
    for (const ids of [e.tokens, e.source, e.target]) {
      if (!ids) continue;
      for (const id of ids) {
        tokens++;
        if (id === UNK || (escape >= 0 && id === escape)) unknown++;
      }
    }
  }
  const stats: DatasetStats = {
    examples: encoded.length,
    truncated: encoded.filter((e) => e.truncated).length,
    lengths: lengthStats(encoded.map((e) => e.length)),
    vocabulary: {
      size: vocabulary.length,
      tokens,
      unknown,
      coverage: tokens === 0 ? 1 : 1 - unknown / tokens,
    },
  };
  if (encoded.length > 32)
    stats.bucketing = bucketingSavings(
      encoded.map((e) => e.length),
      { batchSize: 32, pool: spec.bucketing.pool, seed: spec.split.seed },
    );
  if (spec.task === 'classification' && spec.labels) {
    Object.assign(
      stats,
      classBalance(
        encoded.map((e) => e.label ?? 0),
        spec.labels,
      ),
    );
  } else if (spec.task === 'tagging' && spec.labels) {
    stats.labels = classBalance(
      encoded.flatMap((e) => [...(e.steps ?? [])]),
      spec.labels,
    ).labels;
  }
  return stats;
}
