// The Histograms tab's heatmap: each epoch's bins spread onto one value axis shared by all epochs, each
// row the percentage of that epoch's values per column, whatever each snapshot's own range.
import { describe, expect, it } from 'vitest';
import { histogramOf } from '../../../../../core/telemetry/histogram.js';
import {
  histogramPicture,
  valueLabel,
} from '../../../../../renderer/src/views/histograms/histogramPicture.js';

const rowSum = (values: ArrayLike<number>, row: number, cols: number) => {
  let s = 0;
  for (let c = 0; c < cols; c++) s += values[row * cols + c]!;
  return s;
};

describe('histogramPicture', () => {
  it('one row per epoch on a shared axis from the lowest to the highest value; rows sum to 100 %', () => {
    const narrow = histogramOf([-1, -0.5, 0, 0.5, 1]);
    const wide = histogramOf([-4, 0, 4, 4]);
    const p = histogramPicture(
      [
        { epoch: 1, histogram: narrow },
        { epoch: 5, histogram: wide },
      ],
      8,
    );
    expect([p.low, p.high]).toEqual([-4, 4]);
    expect(p.rowLabels).toEqual(['1', '5']);
    expect(p.columnLabels).toEqual(['-3.5', '-2.5', '-1.5', '-0.5', '0.5', '1.5', '2.5', '3.5']);
    expect(rowSum(p.matrix.values, 0, 8)).toBeCloseTo(100, 9);
    expect(rowSum(p.matrix.values, 1, 8)).toBeCloseTo(100, 9);
    // Epoch 1 lies within [-1, 1]: column 3 [-1, 0) holds -1 and -0.5, column 4 [0, 1] holds 0, 0.5, 1.
    const epoch1 = Array.from(p.matrix.values).slice(0, 8);
    expect(epoch1[3]).toBeCloseTo(40, 9);
    expect(epoch1[4]).toBeCloseTo(60, 9);
    expect(epoch1.filter((v) => v > 0)).toHaveLength(2);
    // Epoch 5: a quarter at -4, a quarter at 0 (the bin right of 0 starts there), half at 4.
    const epoch5 = Array.from(p.matrix.values).slice(8);
    expect(epoch5[0]).toBeCloseTo(25, 9);
    expect(epoch5[4]).toBeCloseTo(25, 9);
    expect(epoch5[7]).toBeCloseTo(50, 9);
  });

  it('splits a bin across the columns it overlaps, in proportion', () => {
    // One bin [0, 1] holding everything, drawn on an axis [0, 4] (from another epoch) of 8 columns.
    const p = histogramPicture(
      [
        { epoch: 1, histogram: { ...histogramOf([0, 1]), counts: [2] } },
        { epoch: 2, histogram: histogramOf([0, 4], 1) },
      ],
      8,
    );
    expect(Array.from(p.matrix.values).slice(0, 8)).toEqual([50, 50, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(p.matrix.values).slice(8)).toEqual([12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5]);
  });

  it('an epoch with no finite value is a blank row; no epoch at all is an empty picture', () => {
    const p = histogramPicture(
      [
        { epoch: 1, histogram: histogramOf([NaN, Infinity]) },
        { epoch: 2, histogram: histogramOf([1, 2]) },
      ],
      4,
    );
    expect([p.low, p.high]).toEqual([1, 2]);
    expect(Array.from(p.matrix.values).slice(0, 4).every(Number.isNaN)).toBe(true);
    expect(rowSum(p.matrix.values, 1, 4)).toBeCloseTo(100, 9);
    const none = histogramPicture([]);
    expect(none.matrix.rows).toBe(0);
    expect([none.low, none.high]).toEqual([0, 1]);
  });

  it('labels values briefly', () => {
    expect([
      valueLabel(0),
      valueLabel(0.123456),
      valueLabel(-2.5),
      valueLabel(2e-5),
      valueLabel(123456),
    ]).toEqual(['0', '0.123', '-2.5', '2.0e-5', '1.2e+5']);
  });
});
