import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NamedWeight } from '../../../../core/engine/types.js';
import {
  type GradientReport,
  clipGradients,
  clippingBit,
  gradientStats,
  readGradientReport,
} from '../../../../core/training/gradients.js';
import { own } from '../../../../core/records/own.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const weights: NamedWeight[] = [
  { name: 'rnn/kernel', node: 'rnn', variable: tf.variable(tf.zeros([1, 4])), gates: ['update', 'reset'] },
  { name: 'head/kernel', node: 'head', variable: tf.variable(tf.zeros([2])) },
];

/** The report as the training step reads it: statistics on the backend, one read. */
async function gradientReport(w: NamedWeight[], grads: Record<string, tf.Tensor>): Promise<GradientReport> {
  const stats = gradientStats(w, grads);
  const report = readGradientReport(stats.layout, await stats.values.data());
  tf.dispose([stats.values, stats.global, stats.maxAbs]);
  return report;
}

describe('gradient norms', () => {
  it('global, per layer and per gate (last axis split into gates)', async () => {
    const grads = { 'rnn/kernel': tf.tensor2d([[3, 4, 0, 12]]), 'head/kernel': tf.tensor1d([0, 0]) };
    const report = await gradientReport(weights, grads);
    expect(report.global).toBeCloseTo(13, 5);
    expect(report.perLayer.rnn).toBeCloseTo(13, 5);
    expect(report.perGate.rnn?.update).toBeCloseTo(5, 5);
    expect(report.perGate.rnn?.reset).toBeCloseTo(12, 5);
    expect(report.firstNonFinite).toBeUndefined();
    const stats = gradientStats(weights, grads);
    expect(clippingBit(report, { kind: 'global-norm', value: 1 })).toBe(true);
    expect(clippingBit(report, { kind: 'global-norm', value: 20 })).toBe(false);
    const clipped = clipGradients(grads, stats, { kind: 'global-norm', value: 1 });
    expect((await gradientReport(weights, clipped)).global).toBeCloseTo(1, 4);
    // Below the limit the scale is 1: the gradients pass unchanged.
    const unclipped = clipGradients(grads, stats, { kind: 'global-norm', value: 20 });
    expect(Array.from(unclipped['rnn/kernel']!.dataSync())).toEqual([3, 4, 0, 12]);
    const byValue = clipGradients(grads, stats, { kind: 'value', value: 4 });
    expect(Array.from(byValue['rnn/kernel']!.dataSync())).toEqual([3, 4, 0, 4]);
    expect(clippingBit(report, { kind: 'value', value: 4 })).toBe(true);
    expect(clipGradients(grads, stats, { kind: 'none', value: 1 })).toBe(grads);
  });
  it('names the first weight whose gradient is not finite', async () => {
    const grads = { 'rnn/kernel': tf.tensor2d([[1, 1, 1, 1]]), 'head/kernel': tf.tensor1d([NaN, 0]) };
    expect((await gradientReport(weights, grads)).firstNonFinite?.name).toBe('head/kernel');
  });
  it('reports blocks named after Object.prototype members like any other block', async () => {
    const named: NamedWeight[] = [
      {
        name: 'constructor/kernel',
        node: 'constructor',
        variable: tf.variable(tf.zeros([1, 4])),
        gates: ['update', 'reset'],
      },
      { name: 'toString/kernel', node: 'toString', variable: tf.variable(tf.zeros([2])) },
    ];
    const report = await gradientReport(named, {
      'constructor/kernel': tf.tensor2d([[3, 4, 0, 12]]),
      'toString/kernel': tf.tensor1d([6, 8]),
    });
    expect(own(report.perLayer, 'constructor')).toBeCloseTo(13, 5);
    expect(own(report.perLayer, 'toString')).toBeCloseTo(10, 5);
    expect(own(own(report.perGate, 'constructor'), 'update')).toBeCloseTo(5, 5);
    // The per-gate sums went into the report, not onto the global Object constructor.
    expect(Object.hasOwn(Object, 'update')).toBe(false);
  });
});
