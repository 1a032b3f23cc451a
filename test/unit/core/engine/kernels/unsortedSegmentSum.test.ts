// The JS UnsortedSegmentSum (registered where a backend lacks it): rows summed by segment id, ids outside
// [0, numSegments) dropped, multi-axis rows kept together.
import { describe, expect, it } from 'vitest';
import { segmentSumRows } from '../../../../../core/engine/kernels/unsortedSegmentSum.js';

describe('segmentSumRows', () => {
  it('sums rows into their segments', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(segmentSumRows(x, Int32Array.from([2, 0, 2, 5]), 2, 3))).toEqual([
      3,
      4,
      0,
      0,
      1 + 5,
      2 + 6,
    ]);
  });
});
