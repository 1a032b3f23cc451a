// Adam and AdamW on wasm as one pass in wasm memory (core/engine/wasm/adam.ts) give bit for bit what the
// tf ops give, on weights whose sizes leave a tail after the four-wide loop, over several updates (the
// bias correction changes with each), with and without weight decay.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../../main/engine/backend.js';
import type { NamedWeight } from '../../../../core/engine/types.js';
import { OptimizerConfigSchema, type OptimizerConfig } from '../../../../core/training/config.js';
import { Optimizer } from '../../../../core/training/optimizers.js';
import { setWasmAdam } from '../../../../core/training/wasmAdam.js';
import { activeWasm } from '../../../../core/engine/tfjsInternals.js';

beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(async () => {
  setWasmAdam(true);
  await tf.setBackend('cpu');
});

const SHAPES = [[1], [7], [3, 5], [64, 33]];

/** Every weight's values after `steps` updates with seeded gradients. */
function train(config: Partial<OptimizerConfig>, steps: number): number[][] {
  const weights: NamedWeight[] = SHAPES.map((shape, i) => ({
    name: `w${i}/kernel`,
    node: `w${i}`,
    variable: tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, 1, 'float32', 10 + i))),
  }));
  const optimizer = new Optimizer(OptimizerConfigSchema.parse(config));
  for (let s = 0; s < steps; s++) {
    const grads = Object.fromEntries(
      // Seeds from 1: tfjs takes seed 0 as no seed.
      weights.map((w, i) => [w.name, tf.randomNormal(w.variable.shape, 0, 1, 'float32', 1 + 100 * s + i)]),
    );
    optimizer.apply(weights, grads, 0.01 * (s + 1));
    tf.dispose(Object.values(grads));
  }
  const values = weights.map((w) => Array.from(w.variable.dataSync()));
  optimizer.dispose();
  weights.forEach((w) => w.variable.dispose());
  return values;
}

describe.each([
  ['adam', { kind: 'adam' }],
  ['adam, L2 decay', { kind: 'adam', weightDecay: 0.01 }],
  ['adamw', { kind: 'adamw', weightDecay: 0.01 }],
] as const)('%s on wasm in one pass', (_name, config) => {
  it('gives exactly the tf ops’ weights after 5 updates, with no tensor left behind', () => {
    const memory = vi.spyOn(activeWasm()!, 'memory'); // the one-pass kernel binds to wasm memory
    const before = tf.memory().numTensors;
    const fused = train(config, 5);
    expect(tf.memory().numTensors).toBe(before);
    expect(memory).toHaveBeenCalled();
    memory.mockRestore();
    setWasmAdam(false);
    try {
      expect(fused).toEqual(train(config, 5));
    } finally {
      setWasmAdam(true);
    }
  });
});
