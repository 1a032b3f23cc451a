// The pure parts of the data-parallel step: how a batch is cut into shards, and how the shards' metrics
// make the whole batch's (the gradient arithmetic is checked end to end in
// test/unit/main/training/dataParallel.test.ts, on real worker threads against one engine).
import { describe, expect, it } from 'vitest';
import type { Batch } from '../../../../core/data/batch.js';
import { combineMetrics, splitBatch } from '../../../../core/training/dataParallel.js';

const batch: Batch = {
  tokens: { dtype: 'int32', shape: [5, 2], data: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) },
  mask: { dtype: 'float32', shape: [5, 2], data: Float32Array.from([1, 1, 1, 0, 1, 1, 1, 1, 1, 0]) },
  labels: { dtype: 'int32', shape: [5], data: Int32Array.from([0, 1, 0, 1, 0]) },
};

describe('data-parallel shards', () => {
  it('cuts rows into consecutive shards differing by at most one row, every role alike', () => {
    const shards = splitBatch(batch, 2);
    expect(shards.map((s) => s.tokens!.shape)).toEqual([
      [2, 2],
      [3, 2],
    ]);
    expect(Array.from(shards[0]!.tokens!.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(shards[1]!.tokens!.data)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(Array.from(shards[1]!.mask!.data)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(Array.from(shards[1]!.labels!.data)).toEqual([0, 1, 0]);
    expect(shards[0]!.tokens!.data).toBeInstanceOf(Int32Array);
  });

  it('never makes an empty shard: fewer rows than engines gives one shard per row', () => {
    expect(splitBatch(batch, 8).map((s) => s.tokens!.shape[0])).toEqual([1, 1, 1, 1, 1]);
    expect(splitBatch(batch, 1)[0]).toEqual(batch);
  });

  it('weighs position means by real positions, exact match by sequences; perplexity is exp(loss)', () => {
    const combined = combineMetrics(
      [
        { metrics: { accuracy: 1, exactMatch: 1, perplexity: 99 }, count: 3, rows: 1 },
        { metrics: { accuracy: 0, exactMatch: 0, perplexity: 99 }, count: 1, rows: 3 },
      ],
      Math.log(2),
    );
    expect(combined.accuracy).toBeCloseTo(0.75, 12);
    expect(combined.exactMatch).toBeCloseTo(0.25, 12);
    expect(combined.perplexity).toBeCloseTo(2, 12);
  });
});
