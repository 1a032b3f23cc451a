import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decimateForView, lowerBound } from '../../../../renderer/src/charts/decimate.js';
import { SeriesBuffer } from '../../../../renderer/src/charts/seriesBuffer.js';

function series(ys: number[]): SeriesBuffer {
  const s = new SeriesBuffer(4);
  ys.forEach((y, i) => s.push(i + 1, y));
  return s;
}

describe('SeriesBuffer', () => {
  it('grows past its capacity and keeps every point', () => {
    const s = series(Array.from({ length: 5000 }, (_, i) => i * 2));
    expect(s.length).toBe(5000);
    expect(s.x[4999]).toBe(5000);
    expect(s.last()).toBe(9998);
    expect(s.min()).toBe(0);
    expect(s.max()).toBe(9998);
  });
});

describe('decimateForView', () => {
  it('returns short series unchanged', () => {
    expect(decimateForView(series([3, 1, 2]), 100)).toEqual([
      [1, 3],
      [2, 1],
      [3, 2],
    ]);
  });

  it('keeps a single spike among 100,000 points and bounds the point count', () => {
    const ys = Array.from({ length: 100_000 }, () => 1);
    ys[54_321] = 1000;
    ys[12_345] = -5;
    const out = decimateForView(series(ys), 800);
    expect(out.length).toBeLessThanOrEqual(2 * 800 + 2);
    expect(out).toContainEqual([54_322, 1000]);
    expect(out).toContainEqual([12_346, -5]);
    expect(out[0]).toEqual([1, 1]);
    expect(out[out.length - 1]).toEqual([100_000, 1]);
  });

  it('gives the zoomed window pixel resolution and the rest a coarse outline', () => {
    const ys = Array.from({ length: 100_000 }, (_, i) => Math.sin(i / 10));
    const out = decimateForView(series(ys), 500, { x0: 50_000, x1: 50_400 }, 50);
    const inside = out.filter(([x]) => x >= 50_000 && x <= 50_400);
    expect(inside.length).toBe(401); // 401 points fit in 500 pixels: all of them, exact
    // window, its two neighbours, two outlines, the ends
    expect(out.length).toBeLessThanOrEqual(401 + 2 + 4 * 50 + 2);
  });

  it('skips NaN (non-finite losses are reported, not drawn)', () => {
    expect(decimateForView(series([1, NaN, 2]), 100)).toEqual([
      [1, 1],
      [3, 2],
    ]);
  });

  it('always keeps the min and max of every bucket (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 16, max: 400 }),
        (ys, px) => {
          const out = decimateForView(series(ys), px);
          const outYs = out.map((p) => p[1]);
          expect(Math.max(...outYs)).toBe(Math.max(...ys));
          expect(Math.min(...outYs)).toBe(Math.min(...ys));
          for (let i = 1; i < out.length; i++) expect(out[i]![0]).toBeGreaterThan(out[i - 1]![0]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('lowerBound finds the first x >= value', () => {
    const s = series([0, 0, 0, 0]);
    expect(lowerBound(s.x, s.length, 2.5)).toBe(2);
    expect(lowerBound(s.x, s.length, 0)).toBe(0);
    expect(lowerBound(s.x, s.length, 99)).toBe(4);
  });
});
