import { describe, expect, it } from 'vitest';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  type CheckpointState,
} from '../../../../core/training/checkpoint.js';
import { defaultTrainingConfig } from '../../../../core/training/config.js';
import { planEpoch } from '../../../../core/training/plan.js';
import { SeededRandom } from '../../../../core/training/random.js';

function state(weight: Float32Array): CheckpointState {
  return {
    format: 1,
    runId: 'r1',
    config: defaultTrainingConfig(),
    epoch: 2,
    batchInEpoch: 3,
    step: 13,
    randomAtEpochStart: 1234,
    weights: [
      { name: 'a/kernel', shape: [2, 2], data: weight },
      { name: 'a/bias', shape: [1], data: new Float32Array([5]) },
    ],
    optimizer: {
      kind: 'adam',
      step: 13,
      slots: [{ name: 'a/kernel#m', shape: [2, 2], data: new Float32Array([0.1, 0.2, 0.3, 0.4]) }],
    },
    plateau: { scale: 1, best: null, badEpochs: 0 },
    tracker: { bestValue: 0.5, bestEpoch: 2, badEpochs: 0 },
    partial: { lossSum: 1.5, count: 3, metricSums: { mse: 1.5 }, tokens: 30 },
  };
}

describe('checkpoint encoding', () => {
  it('round-trips weights, optimizer slots and position exactly', () => {
    const original = state(new Float32Array([1, -2, 3.25, 1e-7]));
    const decoded = decodeCheckpoint(encodeCheckpoint(original));
    expect(decoded).toEqual(original);
  });
  it('refuses to encode non-finite weights, naming the weight', () => {
    expect(() => encodeCheckpoint(state(new Float32Array([1, NaN, 0, 0])))).toThrow(/a\/kernel/);
  });
  it('rejects bytes that are not a checkpoint or are cut short', () => {
    expect(() => decodeCheckpoint(new TextEncoder().encode('hello world, not a checkpoint'))).toThrow(
      /signature/,
    );
    const bytes = encodeCheckpoint(state(new Float32Array(4)));
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated/);
  });
});

describe('epoch plan', () => {
  it('is a seeded permutation cut into batches; the same seed gives the same plan', () => {
    const a = planEpoch(10, { batchSize: 3, shuffle: true, bucketing: false }, new SeededRandom(7));
    const b = planEpoch(10, { batchSize: 3, shuffle: true, bucketing: false }, new SeededRandom(7));
    expect(a).toEqual(b);
    expect(a.map((x) => x.length)).toEqual([3, 3, 3, 1]);
    expect(a.flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(planEpoch(10, { batchSize: 3, shuffle: true, bucketing: false }, new SeededRandom(8))).not.toEqual(
      a,
    );
  });
  it('bucketing puts similar lengths together', () => {
    const lengths = [1, 9, 2, 8, 3, 7, 4, 6];
    const plan = planEpoch(8, { batchSize: 2, shuffle: true, bucketing: true, lengths }, new SeededRandom(1));
    for (const batch of plan)
      expect(Math.abs((lengths[batch[0]!] ?? 0) - (lengths[batch[1]!] ?? 0))).toBeLessThanOrEqual(1);
  });
});
