// Epoch means weight each batch by its real (unmasked) positions; perplexity is exp of the mean token
// loss, never a mean of per-batch perplexities.
import { describe, expect, it } from 'vitest';
import { accumulate, emptyAccumulator, summarise } from '../../../../core/training/evaluate.js';
import { timeWindows } from '../../../../core/training/truncatedBptt.js';

describe('epoch summaries', () => {
  it('weights batches by real positions and gives perplexity = exp(mean loss) for language models', () => {
    const acc = emptyAccumulator();
    accumulate(acc, 2, 30, { tokenAccuracy: 0.5 }, 30); // a full batch
    accumulate(acc, 1, 10, { tokenAccuracy: 0.9 }, 10); // a short last batch
    const summary = summarise(acc, true);
    expect(summary.loss).toBeCloseTo(1.75, 12); // (2·30 + 1·10) / 40
    expect(summary.metrics.tokenAccuracy).toBeCloseTo(0.6, 12); // (0.5·30 + 0.9·10) / 40
    expect(summary.perplexity).toBeCloseTo(Math.exp(1.75), 10); // not (e² + e¹)/2
    expect(summarise(acc, false).perplexity).toBeUndefined();
  });
  it('an empty split reports null, not NaN', () => {
    expect(summarise(emptyAccumulator(), true)).toEqual({ loss: null, metrics: {}, perplexity: null });
  });
});

describe('truncated BPTT windows', () => {
  it('cuts per-step tensors along time and leaves per-sequence batches whole', () => {
    const tokens = {
      dtype: 'int32' as const,
      shape: [2, 5],
      data: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    };
    const labels = {
      dtype: 'int32' as const,
      shape: [2, 5],
      data: Int32Array.from([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    };
    const mask = { dtype: 'float32' as const, shape: [2, 5], data: new Float32Array(10).fill(1) };
    const windows = timeWindows({ tokens, labels, mask }, 2);
    expect(windows.map((w) => Array.from(w.tokens!.data))).toEqual([
      [1, 2, 6, 7],
      [3, 4, 8, 9],
      [5, 10],
    ]);
    expect(windows.map((w) => Array.from(w.labels!.data))).toEqual([
      [2, 3, 7, 8],
      [4, 5, 9, 10],
      [6, 11],
    ]);
    const classification = {
      tokens,
      mask,
      labels: { dtype: 'int32' as const, shape: [2], data: Int32Array.from([0, 1]) },
    };
    expect(timeWindows(classification, 2)).toHaveLength(1);
  });
});
