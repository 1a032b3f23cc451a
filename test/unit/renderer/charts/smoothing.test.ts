// TensorBoard-style smoothing: checked against the formula worked by hand, incremental updates equal a
// fresh pass, NaN passes through, and a changed weight or a cleared series starts over.
import { describe, expect, it } from 'vitest';
import { SeriesBuffer } from '../../../../renderer/src/charts/seriesBuffer.js';
import { Smoother } from '../../../../renderer/src/charts/smoothing.js';

function series(values: number[]): SeriesBuffer {
  const s = new SeriesBuffer(4);
  values.forEach((v, i) => s.push(i + 1, v));
  return s;
}
const ys = (s: SeriesBuffer) => Array.from(s.y.subarray(0, s.length));

describe('Smoother', () => {
  it('is the debiased exponential moving average TensorBoard draws', () => {
    const out = new Smoother().update(series([1, 2, 4]), 0.5);
    // last: 0.5, 1.25, 2.625; debias: 0.5, 0.75, 0.875 → 1, 5/3, 3
    expect(ys(out)).toEqual([1, expect.closeTo(5 / 3, 12), expect.closeTo(3, 12)]);
    expect(ys(new Smoother().update(series([1, 2, 4]), 0))).toEqual([1, 2, 4]);
  });

  it('smooths only new points as the run streams, with the same result as one pass', () => {
    const source = series([3, 1]);
    const smoother = new Smoother();
    smoother.update(source, 0.8);
    source.push(3, 7);
    source.push(4, 2);
    expect(ys(smoother.update(source, 0.8))).toEqual(ys(new Smoother().update(series([3, 1, 7, 2]), 0.8)));
  });

  it('shows NaN as it is and starts over for a new weight or a cleared series', () => {
    const source = series([1, Number.NaN, 3]);
    const smoother = new Smoother();
    expect(ys(smoother.update(source, 0.5))[1]).toBeNaN();
    expect(ys(smoother.update(source, 0))).toEqual([1, Number.NaN, 3]);
    source.clear();
    source.push(1, 10);
    expect(ys(smoother.update(source, 0.5))).toEqual([10]);
  });
});
