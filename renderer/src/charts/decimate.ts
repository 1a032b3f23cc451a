// Min/max decimation: reduce a long series to at most ~2 points per horizontal pixel without losing the
// spikes (a loss spike or a gradient explosion must stay visible however long the run). The window the user
// is zoomed into gets pixel resolution; the parts outside it get a coarse outline, so the chart's x extent
// (and with it the zoom slider) stays the whole run.
import type { SeriesBuffer } from './seriesBuffer.js';

export type Point = [number, number];

/** Index of the first element of sorted `xs[0..length)` that is >= value. */
export function lowerBound(xs: Float64Array, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Append to `out` the min and max point (in x order) of each of `buckets` equal-width slices of
 * indices [from, to). Non-finite y values are skipped (a log axis cannot show them; NaN runs are reported
 * as a warning, not drawn).
 */
export function decimateRange(
  series: SeriesBuffer,
  from: number,
  to: number,
  buckets: number,
  out: Point[],
): void {
  const count = to - from;
  if (count <= 0) return;
  if (count <= buckets * 2) {
    for (let i = from; i < to; i++) {
      const y = series.y[i]!;
      if (Number.isFinite(y)) out.push([series.x[i]!, y]);
    }
    return;
  }
  const step = count / buckets;
  for (let b = 0; b < buckets; b++) {
    const start = from + Math.floor(b * step);
    const end = Math.min(to, from + Math.floor((b + 1) * step));
    let minI = -1;
    let maxI = -1;
    for (let i = start; i < end; i++) {
      const y = series.y[i]!;
      if (!Number.isFinite(y)) continue;
      if (minI < 0 || y < series.y[minI]!) minI = i;
      if (maxI < 0 || y > series.y[maxI]!) maxI = i;
    }
    if (minI < 0) continue;
    const first = Math.min(minI, maxI);
    const second = Math.max(minI, maxI);
    out.push([series.x[first]!, series.y[first]!]);
    if (second !== first) out.push([series.x[second]!, series.y[second]!]);
  }
}

export interface Window {
  /** Visible x range; undefined = everything. */
  x0?: number;
  x1?: number;
}

/**
 * The points to hand the chart: pixel-resolution inside the visible window, `outline` buckets on each side.
 * First and last points are always kept so the axis extent is the whole series.
 */
export function decimateForView(
  series: SeriesBuffer,
  pixels: number,
  window: Window = {},
  outline = 200,
): Point[] {
  const n = series.length;
  const out: Point[] = [];
  if (n === 0) return out;
  const buckets = Math.max(16, Math.floor(pixels));
  const from = window.x0 === undefined ? 0 : lowerBound(series.x, n, window.x0);
  const to = window.x1 === undefined ? n : Math.min(n, lowerBound(series.x, n, window.x1) + 1);
  const lo = Math.max(0, from - 1);
  const hi = Math.min(n, to + 1);
  if (lo > 0) decimateRange(series, 0, lo, outline, out);
  decimateRange(series, lo, hi, buckets, out);
  if (hi < n) decimateRange(series, hi, n, outline, out);
  keepEnds(series, out);
  return out;
}

function keepEnds(series: SeriesBuffer, out: Point[]): void {
  const n = series.length;
  const firstX = series.x[0]!;
  const lastX = series.x[n - 1]!;
  if (out.length === 0 || out[0]![0] !== firstX) {
    const y = series.y[0]!;
    if (Number.isFinite(y)) out.unshift([firstX, y]);
  }
  if (out.length === 0 || out[out.length - 1]![0] !== lastX) {
    const y = series.y[n - 1]!;
    if (Number.isFinite(y)) out.push([lastX, y]);
  }
}
