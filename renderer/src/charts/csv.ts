// CSV export of chart data: one column per series, joined on x (step, epoch or time step), so the file
// opens in a spreadsheet or pandas as-is. Values are written in full precision; missing cells stay empty.
import type { SeriesBuffer } from './seriesBuffer.js';

export interface NamedSeries {
  name: string;
  data: SeriesBuffer;
}

/** Quote a cell when it holds a comma, quote or newline (RFC 4180). */
export function csvCell(value: string | number): string {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : String(value)) : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function seriesToCsv(xName: string, series: readonly NamedSeries[]): string {
  const rows = new Map<number, (number | undefined)[]>();
  series.forEach((s, column) => {
    for (let i = 0; i < s.data.length; i++) {
      const x = s.data.x[i]!;
      let row = rows.get(x);
      if (!row) {
        row = new Array<number | undefined>(series.length).fill(undefined);
        rows.set(x, row);
      }
      row[column] = s.data.y[i]!;
    }
  });
  const xs = [...rows.keys()].sort((a, b) => a - b);
  const lines = [[xName, ...series.map((s) => s.name)].map(csvCell).join(',')];
  for (const x of xs) {
    const row = rows.get(x)!;
    lines.push([csvCell(x), ...row.map((v) => (v === undefined ? '' : csvCell(v)))].join(','));
  }
  return lines.join('\n') + '\n';
}

/** A matrix (rows x columns) with its labels, e.g. an attention map or units x time activations. */
export function matrixToCsv(
  rowLabels: readonly string[],
  columnLabels: readonly string[],
  values: ArrayLike<number>,
  corner = '',
): string {
  const lines = [[corner, ...columnLabels].map(csvCell).join(',')];
  for (let r = 0; r < rowLabels.length; r++) {
    const cells = [csvCell(rowLabels[r]!)];
    for (let c = 0; c < columnLabels.length; c++) cells.push(csvCell(values[r * columnLabels.length + c]!));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}
