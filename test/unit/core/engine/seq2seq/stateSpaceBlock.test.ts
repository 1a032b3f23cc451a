// The catalog's State-space block exposes the engine's options: complex vs real diagonal and a learned
// (log-parameterised) step. A compiled graph with them computes exactly the op (core/engine/ops/stateSpace,
// itself checked against PyTorch in ops/stateSpace.test.ts) with complex on and Δ = exp(log_step), the
// inference evaluator agrees, and the new weights receive gradients. Blocks saved without the options keep
// the old layout (real, Δ = 1).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { getLayerKind, parseParams } from '../../../../../core/catalog/index.js';
import type { Batch } from '../../../../../core/data/batch.js';
import { compileGraph } from '../../../../../core/engine/compile.js';
import { stateSpace } from '../../../../../core/engine/ops/stateSpace.js';
import type { Graph } from '../../../../../core/graph/types.js';
import { planModel } from '../../../../../main/export/plan.js';
import { evaluatePlan } from '../../../../oracle/evaluatePlan.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

const F = 3;
const T = 5;
const B = 2;

function graph(ssm: Record<string, unknown>): Graph {
  return {
    nodes: [
      { id: 'x', kind: 'input', params: { role: 'features', features: F } },
      { id: 'ssm', kind: 'state-space', params: { stateSize: 4, ...ssm } },
      { id: 'last', kind: 'pooling', params: { mode: 'last' } },
      { id: 'y', kind: 'head', params: { units: 1, activation: 'linear' } },
    ],
    edges: [
      { id: 'a', from: { node: 'x', port: 'out' }, to: { node: 'ssm', port: 'in' } },
      { id: 'b', from: { node: 'ssm', port: 'out' }, to: { node: 'last', port: 'in' } },
      { id: 'c', from: { node: 'last', port: 'out' }, to: { node: 'y', port: 'in' } },
    ],
  };
}

function batch(): Batch {
  const features = Float32Array.from({ length: B * T * F }, (_, i) => Math.sin(i * 0.7));
  const mask = Float32Array.from({ length: B * T }, (_, i) => (i === B * T - 1 ? 0 : 1)); // one padded step
  return {
    features: { dtype: 'float32', shape: [B, T, F], data: features },
    mask: { dtype: 'float32', shape: [B, T], data: mask },
    targets: { dtype: 'float32', shape: [B, 1], data: new Float32Array([0.5, -0.5]) },
  };
}

describe('state-space block options', () => {
  it('old blocks parse to a real diagonal with Δ = 1 and keep their four weights', () => {
    const r = parseParams('state-space', { stateSize: 8 });
    expect(r.ok && r.params).toMatchObject({ diagonal: 'real', learnStep: false });
    const inputs = { in: [{ kind: 'sequence', shape: ['batch', 'time', F] }] } as never;
    if (!r.ok) throw new Error('state-space params refused');
    expect(
      getLayerKind('state-space')!
        .weights(r.params as never, inputs)
        .map((w) => w.name),
    ).toEqual(['log_rate', 'input_kernel', 'output_kernel', 'skip']);
    const bad = parseParams('state-space', { diagonal: 'quaternion' });
    expect(!bad.ok && bad.problems[0]!.field).toBe('diagonal');
  });

  it.each([
    [
      'complex diagonal, learned step',
      { diagonal: 'complex', learnStep: true },
      ['log_step', 'frequency', 'input_kernel_imag', 'output_kernel_imag'],
    ],
    ['real diagonal, learned step', { diagonal: 'real', learnStep: true }, ['log_step']],
    [
      'complex diagonal, Δ = 1',
      { diagonal: 'complex', learnStep: false },
      ['frequency', 'input_kernel_imag', 'output_kernel_imag'],
    ],
  ] as const)(
    '%s: compiled block = op = inference evaluator; the option weights learn',
    (_name, options, extra) => {
      const model = compileGraph(graph(options), { task: 'regression', seed: 3 });
      try {
        const names = model.weights.filter((w) => w.node === 'ssm').map((w) => w.name.slice('ssm/'.length));
        expect(names).toEqual(['log_rate', 'input_kernel', 'output_kernel', 'skip', ...extra]);
        const w = Object.fromEntries(
          model.weights
            .filter((v) => v.node === 'ssm')
            .map((v) => [v.name.slice(4), v.variable as tf.Tensor]),
        );
        if (options.learnStep) {
          // S4D initial steps: Δ = exp(log_step) in [0.001, 0.1].
          const steps = Array.from(tf.exp(w.log_step!).dataSync());
          expect(Math.min(...steps)).toBeGreaterThanOrEqual(0.001 - 1e-9);
          expect(Math.max(...steps)).toBeLessThanOrEqual(0.1 + 1e-9);
        }
        const b = batch();
        const x = tf.tensor3d(b.features!.data as Float32Array, [B, T, F]);
        const mask = tf.tensor2d(b.mask!.data as Float32Array, [B, T]);
        const expected = tf.tidy(() =>
          stateSpace(x, mask, w, { complex: options.diagonal === 'complex' }).output.arraySync(),
        );
        const head = tf.tidy(
          () => model.forward(b, { training: false }).outputs.y!.arraySync() as number[][],
        );
        // The compiled head output equals the inference evaluator's.
        const values = Object.fromEntries(
          model.weights.map((v) => [
            v.name,
            { data: v.variable.dataSync() as Float32Array, shape: [...v.variable.shape] },
          ]),
        );
        const inference = tf.tidy(
          () => evaluatePlan(planModel(graph(options)), values, b).outputs.y!.arraySync() as number[][],
        );
        head.forEach((row, i) =>
          row.forEach((v, j) => expect(Math.abs(v - inference[i]![j]!)).toBeLessThan(1e-6)),
        );
        // The op with the same weights but without the options gives another sequence, so they are used.
        const without = tf.tidy(() =>
          stateSpace(
            x,
            mask,
            {
              log_rate: w.log_rate!,
              input_kernel: w.input_kernel!,
              output_kernel: w.output_kernel!,
              skip: w.skip!,
            },
            { complex: false },
          ).output.arraySync(),
        );
        const diff = (a: number[][][], c: number[][][]) =>
          Math.max(...a.flat(2).map((v, i) => Math.abs(v - c.flat(2)[i]!)));
        expect(diff(expected, without)).toBeGreaterThan(1e-4);
        // And the head reads exactly the op's sequence at the last
        // real step: rebuild the head output from it.
        const kernel = values['y/kernel']!.data;
        const bias = values['y/bias']!.data[0]!;
        const lastReal = [T - 1, T - 2];
        head.forEach((row, i) => {
          const h = expected[i]![lastReal[i]!]!;
          const want = h.reduce((s, v, k) => s + v * kernel[k]!, bias);
          expect(Math.abs(row[0]! - want)).toBeLessThan(1e-5);
        });
        tf.dispose([x, mask]);
        // Gradients reach every option weight.
        const vars = model.weights.map((v) => v.variable);
        const grads = tf.tidy(() => {
          const g = tf.variableGrads(() => model.forward(b, { training: true }).loss, vars).grads;
          return Object.fromEntries(extra.map((n) => [n, tf.max(tf.abs(g[`ssm/${n}`]!)).dataSync()[0]!]));
        });
        for (const n of extra) expect(grads[n], n).toBeGreaterThan(0);
      } finally {
        model.dispose();
      }
    },
  );
});
