// Turn a row-major matrix into ECharts heatmap cells and a colour range. Gradient norms span many orders
// of magnitude (that is the point of the vanishing-gradient picture), so they are shown as log10; a zero or
// non-finite cell is left out (drawn as background) rather than faked as a tiny number.
export interface Matrix {
  rows: number;
  cols: number;
  /** Row-major, rows * cols values. */
  values: ArrayLike<number>;
}

export interface HeatmapCells {
  /** [column (x), row (y), colour value] */
  cells: [number, number, number][];
  min: number;
  max: number;
}

export function heatmapCells(matrix: Matrix, options: { log?: boolean } = {}): HeatmapCells {
  const cells: [number, number, number][] = [];
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < matrix.rows; r++) {
    for (let c = 0; c < matrix.cols; c++) {
      const raw = matrix.values[r * matrix.cols + c];
      if (raw === undefined || !Number.isFinite(raw)) continue;
      if (options.log && raw <= 0) continue;
      const v = options.log ? Math.log10(raw) : raw;
      cells.push([c, r, v]);
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (cells.length === 0) return { cells, min: 0, max: 1 };
  if (min === max) return { cells, min: min - 0.5, max: max + 0.5 };
  return { cells, min, max };
}

/** Build a matrix from nested arrays (rows of possibly ragged length; short rows are padded with NaN). */
export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows.reduce((m, r) => Math.max(m, r.length), 0);
  const values = new Float64Array(rows.length * cols).fill(NaN);
  rows.forEach((row, r) => row.forEach((v, c) => (values[r * cols + c] = v)));
  return { rows: rows.length, cols, values };
}

/** Swap rows and columns (attention arrives as target x source; units x time arrives as time x units). */
export function transpose(matrix: Matrix): Matrix {
  const values = new Float64Array(matrix.rows * matrix.cols);
  for (let r = 0; r < matrix.rows; r++) {
    for (let c = 0; c < matrix.cols; c++) values[c * matrix.rows + r] = matrix.values[r * matrix.cols + c]!;
  }
  return { rows: matrix.cols, cols: matrix.rows, values };
}

/**
 * The colour range of a matrix, as `heatmapCells` computes it, without building the cells: log10 when
 * `log` (zero and negative values skipped), widened by ±0.5 when flat, [0, 1] when nothing is finite.
 */
export function valueRange(matrix: Matrix, options: { log?: boolean } = {}): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < matrix.rows * matrix.cols; i++) {
    const raw = matrix.values[i];
    if (raw === undefined || !Number.isFinite(raw) || (options.log && raw <= 0)) continue;
    const v = options.log ? Math.log10(raw) : raw;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { min: 0, max: 1 };
  if (min === max) return { min: min - 0.5, max: max + 0.5 };
  return { min, max };
}
