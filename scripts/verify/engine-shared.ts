// Shared by the engine-* verify scripts (run alone it does nothing): a training loop of the compiled
// graph with Adam and global-norm clipping, seeded data helpers, and argument parsing.
import * as tf from '@tensorflow/tfjs-core';
import type { StudioModel } from '../../core/engine/types.js';
import type { Batch } from '../../core/data/batch.js';

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

/** Mulberry32 in [0,1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One Adam step with the gradient clipped to a global norm; returns the loss. */
export function trainer(model: StudioModel, learningRate: number, clip = 1): (batch: Batch) => number {
  const optimizer = tf.train.adam(learningRate);
  const vars = model.weights.map((w) => w.variable);
  return (batch) =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => model.forward(batch, { training: true }).loss, vars);
      const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
      const scale = tf.minimum(1, tf.div(clip, tf.add(norm, 1e-6)));
      optimizer.applyGradients(Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, scale)])));
      return value.dataSync()[0]!;
    });
}
