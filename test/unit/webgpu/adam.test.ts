// Adam and AdamW on webgpu, where one kernel updates m, v and the weight (core/training/webgpuAdam.ts):
// three updates of two weights against PyTorch's update rule written here in tf ops on the same backend
// (weights and both moments within 1e-6, relative above 1); the state saves as the tf-ops path's would.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { NamedWeight } from '../../../core/engine/types.js';
import { OptimizerConfigSchema } from '../../../core/training/config.js';
import { Optimizer } from '../../../core/training/optimizers.js';
import { gpu, onWebGpu } from './gpuSetup.js';

const SHAPES = [[7, 5], [11]];

function closeTo(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((e, i) =>
    expect(Math.abs(actual[i]! - e) / Math.max(1, Math.abs(e)), `${what}[${i}]`).toBeLessThan(1e-6),
  );
}

describe.each([
  ['adam', 0],
  ['adamw', 0.01],
] as const)('%s on webgpu (weight decay %s)', (kind, weightDecay) => {
  it.skipIf(!gpu.ready)(`matches the update rule in tf ops, moments included ${gpu.reason}`, async () => {
    await onWebGpu();
    const config = OptimizerConfigSchema.parse({ kind, learningRate: 0.01, weightDecay });
    const weights: NamedWeight[] = SHAPES.map((shape, i) => ({
      name: `w${i}`,
      node: 'n',
      variable: tf.variable(tf.randomUniform(shape, -1, 1, 'float32', 10 + i)),
    }));
    const expected: { w: tf.Tensor; m: tf.Tensor; v: tf.Tensor }[] = weights.map((w) => ({
      w: w.variable.clone(),
      m: tf.zerosLike(w.variable),
      v: tf.zerosLike(w.variable),
    }));
    const optimizer = new Optimizer(config);
    const lr = 0.05;
    for (let t = 1; t <= 3; t++) {
      const grads = Object.fromEntries(
        weights.map((w, i) => [w.name, tf.randomUniform(w.variable.shape, -2, 2, 'float32', 100 * t + i)]),
      );
      optimizer.apply(weights, grads, lr);
      weights.forEach((w, i) => {
        const e = expected[i]!;
        const g = grads[w.name]!;
        const next = tf.tidy(() => {
          const decayed = kind === 'adamw' ? tf.mul(e.w, 1 - lr * weightDecay) : e.w;
          const m = tf.add(tf.mul(e.m, config.beta1), tf.mul(g, 1 - config.beta1));
          const v = tf.add(tf.mul(e.v, config.beta2), tf.mul(tf.square(g), 1 - config.beta2));
          const mHat = tf.div(m, 1 - config.beta1 ** t);
          const vHat = tf.div(v, 1 - config.beta2 ** t);
          const step = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), config.epsilon)), lr);
          return { w: tf.sub(decayed, step), m, v };
        });
        tf.dispose([e.w, e.m, e.v]);
        expected[i] = next;
      });
      tf.dispose(Object.values(grads));
    }
    const state = await optimizer.getState();
    for (const [i, w] of weights.entries()) {
      const e = expected[i]!;
      closeTo((await w.variable.data()) as Float32Array, (await e.w.data()) as Float32Array, `${w.name}`);
      const slot = (name: string) =>
        Float32Array.from(state.slots.find((s) => s.name === `${w.name}#${name}`)!.data);
      closeTo(slot('m'), (await e.m.data()) as Float32Array, `${w.name} m`);
      closeTo(slot('v'), (await e.v.data()) as Float32Array, `${w.name} v`);
    }
    expect(state.step).toBe(3);
    optimizer.dispose();
    tf.dispose([...weights.map((w) => w.variable), ...expected.flatMap((e) => [e.w, e.m, e.v])]);
  });
});
