// Confusion counts and per-class precision / recall / F1, checked against hand-computed values.
import { describe, expect, it } from 'vitest';
import { classScores, tally } from '../../../../core/training/confusion.js';

describe('confusion', () => {
  it('tallies argmax picks (softmax), 0.5 threshold (sigmoid), and skips masked positions', () => {
    const m = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    tally(m, Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.2, 0.5, 0.3]), 3, [0, 1, 1]);
    tally(m, Float32Array.from([0.1, 0.1, 0.8]), 3, [2], [0]);
    expect(m).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 0],
    ]);
    const binary = [
      [0, 0],
      [0, 0],
    ];
    tally(binary, Float32Array.from([0.2, 0.9, 0.6]), 1, [0, 1, 0]);
    expect(binary).toEqual([
      [1, 1],
      [0, 1],
    ]);
  });

  it('precision, recall, F1 and support per class; null where undefined', () => {
    // rows = truth: a: 3 right, 1 as b; b: 2 right, 2 as a; c: never seen, never predicted.
    const scores = classScores(
      ['a', 'b', 'c'],
      [
        [3, 1, 0],
        [2, 2, 0],
        [0, 0, 0],
      ],
    );
    expect(scores[0]).toEqual({
      label: 'a',
      precision: 3 / 5,
      recall: 3 / 4,
      f1: (2 * 0.6 * 0.75) / 1.35,
      support: 4,
    });
    expect(scores[1]).toEqual({
      label: 'b',
      precision: 2 / 3,
      recall: 2 / 4,
      f1: (2 * (2 / 3) * 0.5) / (2 / 3 + 0.5),
      support: 4,
    });
    expect(scores[2]).toEqual({ label: 'c', precision: null, recall: null, f1: null, support: 0 });
  });
});
