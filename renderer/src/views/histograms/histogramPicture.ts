// A layer's histograms over epochs as one heatmap (rows: epochs, oldest at the top; columns: values;
// colour: the percentage of the tensor's values in that column), TensorBoard's distribution picture. Each
// snapshot has its own range, so its counts are spread onto one value axis shared by every epoch: each bin
// gives its count to the columns it overlaps, in proportion to the overlap (values taken as evenly spread
// inside a bin, the only assumption a histogram allows).
import { binEdges, type Histogram } from '../../../../core/telemetry/histogram.js';
import type { Matrix } from '../../charts/heatmapData.js';

/** Columns of the shared value axis: a little finer than the 30 bins of a snapshot. */
export const PICTURE_COLUMNS = 40;

export interface HistogramPicture {
  matrix: Matrix;
  rowLabels: string[];
  columnLabels: string[];
  /** The shared value axis, [low, high]. */
  low: number;
  high: number;
}

export interface EpochHistogram {
  epoch: number;
  histogram: Histogram;
}

/** A value as an axis label: short, with an exponent only where the value is tiny or huge. */
export function valueLabel(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a < 1e-3 || a >= 1e4) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

export function histogramPicture(
  rows: readonly EpochHistogram[],
  columns = PICTURE_COLUMNS,
): HistogramPicture {
  const withValues = rows.filter((r) => r.histogram.counts.some((c) => c > 0));
  let low = Math.min(...withValues.map((r) => r.histogram.low));
  let high = Math.max(...withValues.map((r) => r.histogram.high));
  if (withValues.length === 0) [low, high] = [0, 1];
  const width = (high - low) / columns;
  const values = new Float64Array(rows.length * columns).fill(NaN);
  rows.forEach((row, r) => {
    const h = row.histogram;
    const total = h.counts.reduce((a, b) => a + b, 0);
    if (total === 0) return; // nothing finite that epoch: the row stays blank
    values.fill(0, r * columns, (r + 1) * columns);
    const edges = binEdges(h);
    h.counts.forEach((count, b) => {
      if (count === 0) return;
      const from = edges[b]!;
      const to = edges[b + 1]!;
      const first = Math.max(0, Math.min(columns - 1, Math.floor((from - low) / width)));
      const last = Math.max(0, Math.min(columns - 1, Math.ceil((to - low) / width) - 1));
      for (let c = first; c <= last; c++) {
        const overlap = Math.min(to, low + (c + 1) * width) - Math.max(from, low + c * width);
        // A bin narrower than float rounding (or a column edge
        // exactly on a bin edge) gives all to one column.
        const part = to > from ? Math.max(0, overlap) / (to - from) : c === first ? 1 : 0;
        values[r * columns + c]! += (100 * count * part) / total;
      }
    });
  });
  return {
    matrix: { rows: rows.length, cols: columns, values },
    rowLabels: rows.map((r) => String(r.epoch)),
    columnLabels: Array.from({ length: columns }, (_, c) => valueLabel(low + (c + 0.5) * width)),
    low,
    high,
  };
}

/** One line about the latest snapshot: mean, spread and range, and any NaN or Infinity. */
export function latestSummary(h: Histogram): {
  mean: number | null;
  std: number | null;
  low: number;
  high: number;
  nonFinite: number;
} {
  return { mean: h.mean, std: h.std, low: h.low, high: h.high, nonFinite: h.nan + h.infinite };
}
