// Optimizer updates against values computed by hand from PyTorch's documented update rules, on
// loss = w²/2 (so the gradient is w itself), w0 = 1.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NamedWeight } from '../../../../core/engine/types.js';
import { OptimizerConfigSchema, type OptimizerConfig } from '../../../../core/training/config.js';
import { Optimizer } from '../../../../core/training/optimizers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function run(config: Partial<OptimizerConfig>, steps: number, learningRate: number): number[] {
  const weight: NamedWeight = { name: 'w/x', node: 'w', variable: tf.variable(tf.tensor1d([1])) };
  const optimizer = new Optimizer(OptimizerConfigSchema.parse(config));
  const seen: number[] = [];
  for (let i = 0; i < steps; i++) {
    const grad = tf.clone(weight.variable);
    optimizer.apply([weight], { 'w/x': grad }, learningRate);
    grad.dispose();
    seen.push(weight.variable.dataSync()[0] as number);
  }
  optimizer.dispose();
  weight.variable.dispose();
  return seen;
}

describe('optimizers follow PyTorch update rules', () => {
  it('SGD with momentum 0.9: 0.9, 0.72', () => {
    const [a, b] = run({ kind: 'sgd', momentum: 0.9 }, 2, 0.1);
    expect(a).toBeCloseTo(0.9, 6);
    expect(b).toBeCloseTo(0.72, 6); // buf = 0.9·1 + 0.9 = 1.8; w = 0.9 − 0.18
  });
  it('SGD Nesterov: 0.81, 0.5751', () => {
    const [a, b] = run({ kind: 'sgd', momentum: 0.9, nesterov: true }, 2, 0.1);
    expect(a).toBeCloseTo(0.81, 6); // step = g + 0.9·buf = 1.9
    expect(b).toBeCloseTo(0.5751, 5); // buf = 1.71, step = 0.81 + 1.539
  });
  it('Adam: 0.9, 0.800412', () => {
    const [a, b] = run({ kind: 'adam' }, 2, 0.1);
    expect(a).toBeCloseTo(0.9, 6);
    expect(b).toBeCloseTo(0.800412, 5); // m̂ = 0.18/0.19, v̂ = 0.001809/0.001999
  });
  it('AdamW decays the weight, not the gradient: 0.89 after one step', () => {
    const [a] = run({ kind: 'adamw', weightDecay: 0.1 }, 1, 0.1);
    expect(a).toBeCloseTo(0.89, 6); // w·(1 − 0.1·0.1) − 0.1·sign(g)
  });
  it('RMSprop (alpha 0.99): 0.9, 0.832918', () => {
    const [a, b] = run({ kind: 'rmsprop', beta2: 0.99 }, 2, 0.01);
    expect(a).toBeCloseTo(0.9, 5);
    expect(b).toBeCloseTo(0.832918, 5);
  });
  it('state saved mid-way and restored continues exactly like an uninterrupted run', async () => {
    const uninterrupted = run({ kind: 'adam' }, 5, 0.05);
    const weight: NamedWeight = { name: 'w/x', node: 'w', variable: tf.variable(tf.tensor1d([1])) };
    const config = OptimizerConfigSchema.parse({ kind: 'adam' });
    const first = new Optimizer(config);
    const step = (o: Optimizer) => {
      const g = tf.clone(weight.variable);
      o.apply([weight], { 'w/x': g }, 0.05);
      g.dispose();
    };
    for (let i = 0; i < 3; i++) step(first);
    const state = await first.getState();
    first.dispose();
    const second = new Optimizer(config);
    second.setState(state, [weight]);
    for (let i = 0; i < 2; i++) step(second);
    expect(weight.variable.dataSync()[0]).toBe(uninterrupted[4]);
    expect(() =>
      new Optimizer(OptimizerConfigSchema.parse({ kind: 'sgd' })).setState(state, [weight]),
    ).toThrow(/adam/);
  });

  it('state naming a weight the model no longer has restores the rest, as weights do', async () => {
    const weight: NamedWeight = { name: 'w/x', node: 'w', variable: tf.variable(tf.tensor1d([1])) };
    const gone: NamedWeight = { name: 'w/gone', node: 'w', variable: tf.variable(tf.tensor1d([2])) };
    const config = OptimizerConfigSchema.parse({ kind: 'adam' });
    const first = new Optimizer(config);
    const grads = { 'w/x': tf.clone(weight.variable), 'w/gone': tf.clone(gone.variable) };
    first.apply([weight, gone], grads, 0.05);
    const state = await first.getState();
    expect(state.slots.some((s) => s.name.startsWith('w/gone#'))).toBe(true);
    const second = new Optimizer(config);
    second.setState(state, [weight]);
    const again = await second.getState();
    expect(again.slots.map((s) => s.name).sort()).toEqual(
      state.slots
        .filter((s) => s.name.startsWith('w/x#'))
        .map((s) => s.name)
        .sort(),
    );
    for (const t of [...Object.values(grads), weight.variable, gone.variable]) t.dispose();
    first.dispose();
    second.dispose();
  });
});
