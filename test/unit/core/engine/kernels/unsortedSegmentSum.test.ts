// The JS UnsortedSegmentSum (registered where a backend lacks it): rows summed by segment id, ids outside
// [0, numSegments) dropped, multi-axis rows kept together; on wasm in place in wasm memory, equal to cpu.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { segmentSumRows } from '../../../../../core/engine/kernels/unsortedSegmentSum.js';
import { selectBackend } from '../../../../../main/engine/backend.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

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

  it('on wasm sums in wasm memory, equal to cpu, ids out of range dropped, rows of two axes', async () => {
    const x = Array.from({ length: 6 * 5 * 3 * 4 }, (_, i) => ((i * 37) % 23) - 11);
    const ids = Array.from({ length: 6 * 5 }, (_, i) => ((i * 7) % 11) - 2); // -2 … 8, 8 segments
    const sum = () =>
      tf.tidy(() =>
        tf.unsortedSegmentSum(tf.tensor(x, [30, 3, 4]), tf.tensor(ids, [30], 'int32'), 8).arraySync(),
      );
    await selectBackend('cpu');
    const onCpu = sum();
    await selectBackend('wasm');
    const backend = tf.backend() as unknown as { readSync: (id: object) => unknown };
    const readSync = vi.spyOn(backend, 'readSync');
    const before = tf.memory().numTensors;
    const onWasm = sum();
    // arraySync reads the result once; the kernel itself reads nothing out of wasm memory.
    expect(readSync).toHaveBeenCalledTimes(1);
    readSync.mockRestore();
    expect(tf.memory().numTensors).toBe(before);
    expect(onWasm).toEqual(onCpu);
    // A second call reuses wasm memory that held other values: the sums still start from zero.
    expect(sum()).toEqual(onCpu);
  });
});
