// A heatmap's cells as one image (one RGBA pixel per cell), coloured like the chart's colour bar. ECharts
// draws a cartesian heatmap as one shape per cell: 64 units x 40 steps cost ~35 ms of main-thread time per
// update and a gradient-through-time map of 1000 epochs ~260 ms (measured in Chromium here). Painting the
// cells into an image and letting the chart draw that image is ~1 ms for any size, so a heatmap that
// grows every epoch never blocks the window.
import type { Matrix } from './heatmapData.js';

/** The colour bar's stops, low to high (plasma). */
export const HEATMAP_COLORS = ['#0d0887', '#7e03a8', '#cc4778', '#f89540', '#f0f921'];

export type Rgb = [number, number, number];

export function parseHex(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`Heatmap colour "${hex}" is not #rrggbb.`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** Linear interpolation through evenly spaced stops, as ECharts' continuous visualMap does; t in [0, 1]. */
export function colorAt(stops: readonly Rgb[], t: number): Rgb {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}

export interface PaintOptions {
  /** Colour log10(value); values <= 0 are left transparent (a log scale cannot show them). */
  log?: boolean;
  /** Colour range (in log10 units when `log`): `lo` gets the first stop, `hi` the last. */
  lo: number;
  hi: number;
  /** Cells outside this range are left transparent (the colour bar's handles); default = [lo, hi] clamped. */
  shown?: [number, number];
  colors?: readonly string[];
}

/**
 * RGBA pixels, row-major, one per cell (width = matrix.cols, height = matrix.rows). Non-finite cells are
 * transparent (drawn as background), like the chart draws a missing cell.
 */
export function paintCells(matrix: Matrix, options: PaintOptions): Uint8ClampedArray {
  const stops = (options.colors ?? HEATMAP_COLORS).map(parseHex);
  // Precomputed colours, 255 per segment between stops (so each stop is an exact entry, and a colour is
  // off by at most one unit of 255 from exact interpolation): a 40,000-cell map costs 40,000 lookups.
  const steps = 255 * Math.max(1, stops.length - 1);
  const table = Array.from({ length: steps + 1 }, (_, k) => colorAt(stops, k / steps));
  const out = new Uint8ClampedArray(matrix.rows * matrix.cols * 4);
  const span = options.hi - options.lo;
  for (let i = 0; i < matrix.rows * matrix.cols; i++) {
    const raw = matrix.values[i];
    if (raw === undefined || !Number.isFinite(raw) || (options.log && raw <= 0)) continue;
    const v = options.log ? Math.log10(raw) : raw;
    if (options.shown && (v < options.shown[0] || v > options.shown[1])) continue;
    const t = span > 0 ? (v - options.lo) / span : 0.5;
    const [r, g, b] = table[Math.round(Math.min(1, Math.max(0, t)) * steps)]!;
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = 255;
  }
  return out;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The cell under a point of the chart, or null outside the cells (rows top to bottom). */
export function cellAt(
  rect: Rect,
  rows: number,
  cols: number,
  px: number,
  py: number,
): { row: number; col: number } | null {
  if (rows === 0 || cols === 0 || rect.width <= 0 || rect.height <= 0) return null;
  const fx = (px - rect.x) / rect.width;
  const fy = (py - rect.y) / rect.height;
  if (fx < 0 || fx >= 1 || fy < 0 || fy >= 1) return null;
  return { row: Math.floor(fy * rows), col: Math.floor(fx * cols) };
}

/** WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/**
 * The text colour that reads best on a cell: near-black or white, whichever has the higher WCAG contrast
 * with the cell (plasma runs from dark blue to yellow, so neither alone is legible on every cell).
 */
export function textColorOn(cell: Rgb): '#111111' | '#ffffff' {
  const l = luminance(cell);
  const onWhite = 1.05 / (l + 0.05);
  const onDark = (l + 0.05) / (luminance([17, 17, 17]) + 0.05);
  return onDark >= onWhite ? '#111111' : '#ffffff';
}

/** A cell's value as written in it: whole numbers as counts ("1,234"), others to 3 significant digits. */
export function cellText(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toPrecision(3);
}

/**
 * Writes each cell's value at its centre in a canvas of the cells (`width` x `height` pixels, `scale`
 * pixels per CSS pixel), in the colour that reads on that cell; `pixels` are the cells' colours from
 * paintCells (a transparent cell gets `background`'s text colour). Returns false, writing nothing, when
 * the cells are too small for their text to be legible (the values are then only on hover).
 */
export function writeCellValues(
  ctx: Pick<CanvasRenderingContext2D, 'fillText' | 'measureText'> & {
    font: string;
    fillStyle: unknown;
    textAlign: CanvasTextAlign;
    textBaseline: CanvasTextBaseline;
  },
  matrix: Matrix,
  pixels: Uint8ClampedArray,
  size: { width: number; height: number; scale: number },
  background: Rgb,
): boolean {
  const w = size.width / matrix.cols;
  const h = size.height / matrix.rows;
  const fontPx = Math.min(13, Math.floor(h / size.scale) - 4) * size.scale;
  if (fontPx < 9 * size.scale) return false;
  ctx.font = `${fontPx}px system-ui, -apple-system, 'Segoe UI', sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const texts = Array.from(matrix.values, cellText);
  if (texts.some((s) => ctx.measureText(s).width > w - 4 * size.scale)) return false;
  texts.forEach((text, i) => {
    if (!text) return;
    const opaque = pixels[i * 4 + 3]! > 0;
    const cell: Rgb = opaque ? [pixels[i * 4]!, pixels[i * 4 + 1]!, pixels[i * 4 + 2]!] : background;
    ctx.fillStyle = textColorOn(cell);
    const row = Math.floor(i / matrix.cols);
    ctx.fillText(text, ((i % matrix.cols) + 0.5) * w, (row + 0.5) * h);
  });
  return true;
}
