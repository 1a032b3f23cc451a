import { describe, expect, it } from 'vitest';
import { createRandom, mixSeed } from '../../../../core/data/random.js';

describe('createRandom', () => {
  it('repeats from a seed and differs across seeds', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(createRandom(43).next()).not.toBe(xs[0]);
  });
  it('resumes from a saved state', () => {
    const a = createRandom(7);
    a.next();
    const saved = a.state();
    const expected = [a.next(), a.int(10), a.next()];
    const b = createRandom(0, saved);
    expect([b.next(), b.int(10), b.next()]).toEqual(expected);
  });
  it('is roughly uniform and normal', () => {
    const r = createRandom(1);
    const n = 20000;
    const bins = [0, 0, 0, 0];
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      bins[r.int(4)]!++;
      const z = r.normal();
      sum += z;
      sq += z * z;
    }
    for (const c of bins) expect(Math.abs(c / n - 0.25)).toBeLessThan(0.02);
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
  });
  it('shuffles to a permutation and mixes seeds', () => {
    const xs = createRandom(3).shuffle([1, 2, 3, 4, 5, 6]);
    expect([...xs].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(() => createRandom(1).int(0)).toThrow(/n >= 1/);
  });
});
