// The step's gradient passes on wasm (core/engine/wasm/gradientPasses.ts): the gradient report's sums of
// squares per weight and per gate and its largest |entry| against a float64 reference and against the tf
// ops, NaN and Infinity reaching the report, the check that updated weights are finite, and the
// data-parallel weighted sum bit for bit the tf ops'.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../../main/engine/backend.js';
import { activeWasm } from '../../../../core/engine/tfjsInternals.js';
import type { NamedWeight, StudioModel } from '../../../../core/engine/types.js';
import { sumGradients } from '../../../../core/training/dataParallel.js';
import { gradientStats, readGradientReport } from '../../../../core/training/gradients.js';
import { setWasmGradientPasses, wasmGradientSquares } from '../../../../core/training/wasmGradients.js';
import { OptimizerConfigSchema } from '../../../../core/training/config.js';
import { Optimizer } from '../../../../core/training/optimizers.js';
import { applyGradients } from '../../../../core/training/step.js';

beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(async () => {
  setWasmGradientPasses(true);
  await tf.setBackend('cpu');
});

/** Seeded values in (−2, 2), some of them large enough that float32 sums lose digits. */
function values(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return (a / 2 ** 32) * 4 - 2;
  });
}

// Shapes with and without a tail after the four-wide loop, gated and not, runs shorter and longer than 64.
const CASES: { shape: number[]; gates: number }[] = [
  { shape: [1], gates: 1 },
  { shape: [7], gates: 1 },
  { shape: [3, 5], gates: 1 },
  { shape: [300, 70], gates: 1 },
  { shape: [5, 12], gates: 3 },
  { shape: [4, 20], gates: 4 },
  { shape: [33, 512], gates: 4 },
];

describe('gradient sums of squares on wasm', () => {
  it('match a float64 reference per gate, with the largest |entry| exact', () => {
    const grads = CASES.map(({ shape }, i) =>
      tf.tensor(
        values(
          shape.reduce((a, b) => a * b),
          i + 1,
        ),
        shape,
      ),
    );
    const fused = wasmGradientSquares(CASES.map(({ gates }, i) => ({ grad: grads[i]!, gates })));
    expect(fused).not.toBeNull();
    CASES.forEach(({ shape, gates }, i) => {
      const data = grads[i]!.dataSync();
      const last = shape[shape.length - 1]!;
      const expected = new Array<number>(gates).fill(0);
      let max = 0;
      data.forEach((x, k) => {
        expected[Math.floor((k % last) / (last / gates))]! += x * x;
        max = Math.max(max, Math.abs(x));
      });
      fused![i]!.gates.forEach((sum, g) =>
        expect(Math.abs(sum - expected[g]!)).toBeLessThan(1e-6 * expected[g]!),
      );
      expect(fused![i]!.maxAbs).toBe(max);
    });
    tf.dispose(grads);
  });

  it('pass NaN and Infinity on to the report, naming the first weight', async () => {
    const weights: NamedWeight[] = ['a', 'b', 'c'].map((node) => ({
      name: `${node}/kernel`,
      node,
      variable: tf.variable(tf.zeros([2, 8])),
      gates: ['update', 'reset'],
    }));
    const bad = values(16, 3);
    bad[13] = NaN;
    const inf = values(16, 4);
    inf[2] = -Infinity;
    const grads = {
      'a/kernel': tf.tensor(values(16, 2), [2, 8]),
      'b/kernel': tf.tensor(bad, [2, 8]),
      'c/kernel': tf.tensor(inf, [2, 8]),
    };
    const stats = gradientStats(weights, grads);
    const report = readGradientReport(stats.layout, await stats.values.data());
    expect(report.firstNonFinite?.name).toBe('b/kernel');
    expect(report.perGate.b?.update).toBeGreaterThan(0);
    expect(report.perGate.b?.reset).toBeNaN();
    expect(report.perLayer.c).toBe(Infinity);
    expect(report.global).toBeNaN();
    tf.dispose([stats.values, stats.global, stats.maxAbs, ...Object.values(grads)]);
    weights.forEach((w) => w.variable.dispose());
  });

  it('give the tf ops’ report to 1e-5, and leave no tensor behind', async () => {
    const weights: NamedWeight[] = CASES.map(({ shape, gates }, i) => ({
      name: `w${i}/kernel`,
      node: `w${i}`,
      variable: tf.variable(tf.zeros(shape)),
      ...(gates > 1 ? { gates: ['i', 'f', 'g', 'o'].slice(0, gates) } : {}),
    }));
    const grads = Object.fromEntries(
      weights.map((w, i) => [w.name, tf.tensor(values(w.variable.size, 10 + i), w.variable.shape)]),
    );
    const report = async () => {
      const before = tf.memory().numTensors;
      const stats = gradientStats(weights, grads);
      const values = await stats.values.data();
      const global = (await stats.global.data())[0]!;
      tf.dispose([stats.values, stats.global, stats.maxAbs]);
      expect(tf.memory().numTensors).toBe(before);
      return { report: readGradientReport(stats.layout, values), global };
    };
    const memory = vi.spyOn(activeWasm()!, 'memory');
    const fused = await report();
    expect(memory).toHaveBeenCalled();
    memory.mockRestore();
    setWasmGradientPasses(false);
    const ops = await report();
    setWasmGradientPasses(true);
    // tf.sum accumulates 21,000 squares in float32 (the first test holds ours to float64's 1e-6).
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-5 * Math.abs(b));
    close(fused.report.global, ops.report.global);
    close(fused.global, ops.global);
    expect(fused.report.maxAbs).toBe(ops.report.maxAbs);
    for (const [node, norm] of Object.entries(ops.report.perLayer)) close(fused.report.perLayer[node]!, norm);
    for (const [node, gates] of Object.entries(ops.report.perGate))
      for (const [gate, norm] of Object.entries(gates)) close(fused.report.perGate[node]![gate]!, norm);
    tf.dispose(Object.values(grads));
    weights.forEach((w) => w.variable.dispose());
  });
});

describe('the weighted sum of shard gradients on wasm', () => {
  it.each([1, 3])('is bit for bit the tf ops’ with %i helper(s)', (helpers) => {
    const weights: NamedWeight[] = CASES.map(({ shape }, i) => ({
      name: `w${i}/kernel`,
      node: `w${i}`,
      variable: tf.variable(tf.zeros(shape)),
    }));
    const total = weights.reduce((n, w) => n + w.variable.size, 0);
    const remote = Array.from({ length: helpers }, (_, k) => ({
      gradients: values(total, 100 + k),
      share: (k + 2) / 17,
    }));
    const local = () =>
      Object.fromEntries(
        weights.map((w, i) => [w.name, tf.tensor(values(w.variable.size, 50 + i), w.variable.shape)]),
      );
    const sum = () => {
      const out = sumGradients({ weights } as unknown as StudioModel, local(), 0.3, remote);
      const read = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.dataSync())]));
      tf.dispose(Object.values(out));
      return read;
    };
    const before = tf.memory().numTensors;
    const fused = sum();
    expect(tf.memory().numTensors).toBe(before);
    setWasmGradientPasses(false);
    const ops = sum();
    setWasmGradientPasses(true);
    expect(fused).toEqual(ops);
    weights.forEach((w) => w.variable.dispose());
  });
});

// The step's check that every updated weight is finite reads each weight's largest |entry| from the same
// pass on wasm (each weight's sum through the tf ops elsewhere): a finite gradient that pushes a weight past
// float32's range must stop the run and name that weight, on either path.
describe.each([true, false])('a weight the update makes infinite (wasm passes: %s)', (passes) => {
  it('is reported as where the run went non-finite, naming the weight', async () => {
    setWasmGradientPasses(passes);
    try {
      const weight = (name: string, v: number[]): NamedWeight => ({
        name: `${name}/kernel`,
        node: name,
        variable: tf.variable(tf.tensor1d(v)),
      });
      const weights = [weight('a', [1, 2, 3, 4, 5]), weight('b', [0, 3e38, 1, 1, 1]), weight('c', [1])];
      const model = { weights } as unknown as StudioModel;
      const grads = {
        'a/kernel': tf.tensor1d([0.1, 0.1, 0.1, 0.1, 0.1]),
        'b/kernel': tf.tensor1d([0, -1e9, 0, 0, 0]),
        'c/kernel': tf.tensor1d([0.1]),
      };
      const optimizer = new Optimizer(OptimizerConfigSchema.parse({ kind: 'sgd' }));
      // w − lr·g: 3e38 + 1e39 is beyond float32's largest value (3.4e38); the gradient's norm is finite.
      const applied = await applyGradients(model, 0.5, grads, optimizer, 1e30, { kind: 'none', value: 5 });
      expect(applied.loss).toBe(0.5);
      expect(Number.isFinite(applied.report.global)).toBe(true);
      expect(applied.nonFinite).toEqual({ where: 'weight', weight: weights[1] });
      expect(weights[1]!.variable.dataSync()[1]).toBe(Infinity);
      weights.forEach((w) => w.variable.dispose());
    } finally {
      setWasmGradientPasses(true);
    }
  });
});
