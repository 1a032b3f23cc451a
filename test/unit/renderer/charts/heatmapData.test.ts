import { describe, expect, it } from 'vitest';
import { heatmapCells, matrixFromRows, transpose } from '../../../../renderer/src/charts/heatmapData.js';

describe('heatmap cells', () => {
  it('maps rows to y and columns to x, and takes log10 for norms', () => {
    const m = matrixFromRows([
      [1, 10],
      [100, 0],
    ]);
    const { cells, min, max } = heatmapCells(m, { log: true });
    expect(cells).toEqual([
      [0, 0, 0],
      [1, 0, 1],
      [0, 1, 2],
    ]); // the zero norm is left out, not faked
    expect([min, max]).toEqual([0, 2]);
  });

  it('pads ragged rows with NaN and transposes', () => {
    const m = matrixFromRows([[1, 2, 3], [4]]);
    expect(m.cols).toBe(3);
    expect(Number.isNaN(m.values[4]!)).toBe(true);
    const t = transpose(m);
    expect([t.rows, t.cols]).toEqual([3, 2]);
    expect(Array.from(t.values).slice(0, 2)).toEqual([1, 4]);
  });

  it('widens a flat range so the colour scale is defined', () => {
    expect(heatmapCells(matrixFromRows([[0.5, 0.5]]))).toMatchObject({ min: 0, max: 1 });
  });
});
