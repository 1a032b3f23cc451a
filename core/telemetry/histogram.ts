// A histogram of a tensor's values as the telemetry carries it: a fixed number of equal-width bins between
// the smallest and largest finite value, so a snapshot is a few hundred bytes whatever the tensor's size
// (an embedding of 10k × 128 included). NaN and ±Infinity are counted apart, never binned: one of them
// would otherwise stretch the range to infinity and hide every other value.
import { z } from 'zod';

/** Bins per histogram: enough to see the shape of a distribution, small enough for 50 snapshots a layer. */
export const HISTOGRAM_BINS = 30;

export const HistogramSchema = z.object({
  /** Left edge of the first bin and right edge of the last: the finite values' range (widened when flat). */
  low: z.number(),
  high: z.number(),
  /** Finite values per equal-width bin; the last bin includes `high`. */
  counts: z.array(z.number().int().nonnegative()),
  /** Every element of the tensor, NaN and ±Infinity included: sum(counts) + nan + infinite. */
  count: z.number().int().nonnegative(),
  nan: z.number().int().nonnegative(),
  infinite: z.number().int().nonnegative(),
  /** Mean and standard deviation of the finite values (null when there are none). */
  mean: z.number().nullable(),
  std: z.number().nullable(),
});

export type Histogram = z.infer<typeof HistogramSchema>;

/**
 * Bins `values` into `bins` equal-width bins over [min, max] of its finite values. A flat tensor (a zero
 * bias, one value everywhere) gets the range [v − 0.5, v + 0.5], so the value sits in the middle bin and
 * the bin width stays positive. No finite value at all: the range is [0, 1] and every count is 0.
 */
export function histogramOf(values: ArrayLike<number>, bins = HISTOGRAM_BINS): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`A histogram needs at least 1 bin, not ${bins}.`);
  let min = Infinity;
  let max = -Infinity;
  let nan = 0;
  let infinite = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) nan += 1;
    else if (!Number.isFinite(v)) infinite += 1;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
  }
  const finiteCount = values.length - nan - infinite;
  const counts = new Array<number>(bins).fill(0);
  if (finiteCount === 0) {
    return { low: 0, high: 1, counts, count: values.length, nan, infinite, mean: null, std: null };
  }
  const [low, high] = min === max ? [min - 0.5, max + 0.5] : [min, max];
  const scale = bins / (high - low);
  const mean = sum / finiteCount;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    // Clamped: `high` itself belongs to the last bin, and rounding must not push a value out of range.
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((v - low) * scale)));
    counts[bin] = (counts[bin] as number) + 1;
    squares += (v - mean) * (v - mean);
  }
  return {
    low,
    high,
    counts,
    count: values.length,
    nan,
    infinite,
    mean,
    std: Math.sqrt(squares / finiteCount),
  };
}

/** The edges of a histogram's bins: counts.length + 1 numbers from `low` to `high`. */
export function binEdges(h: Pick<Histogram, 'low' | 'high' | 'counts'>): number[] {
  const n = h.counts.length;
  return Array.from({ length: n + 1 }, (_, i) => (i === n ? h.high : h.low + ((h.high - h.low) * i) / n));
}
