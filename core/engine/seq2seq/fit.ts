// A minimal training step and evaluation for seq2seq models, used by the verify scripts (the studio's
// training loop lives elsewhere and drives any StudioModel). Adam with global-norm gradient clipping.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../../data/batch.js';
import type { StudioModel } from '../types.js';
import type { Seq2SeqModel } from './model.js';
import { translate, type TranslateOptions } from './stepper.js';

export function trainStep(model: StudioModel, optimizer: tf.Optimizer, batch: Batch, clipNorm = 5): { loss: number; gradNorm: number } {
  return tf.tidy(() => {
    const vars = model.weights.map((w) => w.variable);
    const { value, grads } = tf.variableGrads(() => model.forward(batch, { training: true }).loss, vars);
    const names = Object.keys(grads);
    const norm = Math.sqrt(names.reduce((s, n) => s + tf.sum(tf.square(grads[n]!)).dataSync()[0]!, 0));
    const scale = norm > clipNorm ? clipNorm / norm : 1;
    const clipped = Object.fromEntries(names.map((n) => [n, scale === 1 ? grads[n]! : tf.mul(grads[n]!, scale)]));
    optimizer.applyGradients(clipped);
    return { loss: value.dataSync()[0]!, gradNorm: norm };
  });
}

/** Free-running exact match: decode each source (greedy or beam) and compare with the target + end. */
export function exactMatch(model: Seq2SeqModel, batches: Batch[], options: TranslateOptions): { exact: number; total: number; outputs: number[][] } {
  let exact = 0;
  let total = 0;
  const outputs: number[][] = [];
  for (const b of batches) {
    const [rows, s] = b.source!.shape as [number, number];
    const hyps = translate(model, b.source!.data as Int32Array, [rows, s], b.sourceMask!.data as Float32Array, options);
    const [, t] = b.targetOut!.shape as [number, number];
    hyps.forEach((h, r) => {
      const want: number[] = [];
      for (let i = 0; i < t && b.targetMask!.data[r * t + i]! > 0; i++) want.push(b.targetOut!.data[r * t + i]!);
      outputs.push(h.tokens);
      total++;
      if (h.tokens.length === want.length && h.tokens.every((v, i) => v === want[i])) exact++;
    });
  }
  return { exact, total, outputs };
}
