// One training batch: forward and backward, the NaN guard, gradient norms, clipping, the update.
// With truncated BPTT the batch is several windows, each its own update, state carried between them.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; the engine's module registers them (see there why that way).
import '../engine/gradients.js';
import type { Batch } from '../data/batch.js';
import type { NamedWeight, StudioModel } from '../engine/types.js';
import type { ClippingConfig } from './config.js';
import { clipGradients, gradientReport, type GradientReport } from './gradients.js';
import type { Optimizer } from './optimizers.js';
import { timeWindows } from './truncatedBptt.js';

export interface NonFinite {
  where: 'loss' | 'gradient' | 'weight';
  weight?: NamedWeight;
}

export interface StepResult {
  /** Loss and metrics weighted over the windows by real positions. */
  loss: number;
  count: number;
  metrics: Record<string, number>;
  /** Gradient report of the window with the largest global norm. */
  report: GradientReport;
  clipped: boolean;
  nonFinite?: NonFinite;
}

interface WindowResult {
  loss: number;
  count: number;
  metrics: Record<string, number>;
  report: GradientReport;
  clipped: boolean;
  nonFinite?: NonFinite;
}

function readScalars(named: Record<string, tf.Scalar>): Record<string, number> {
  const keys = Object.keys(named);
  if (keys.length === 0) return {};
  const values = tf.tidy(() => tf.stack(keys.map((k) => named[k] as tf.Scalar)).dataSync());
  return Object.fromEntries(keys.map((k, i) => [k, values[i] as number]));
}

export function disposeState(state: Record<string, tf.Tensor[]> | undefined): void {
  if (state) for (const list of Object.values(state)) tf.dispose(list);
}

/** The first weight (model order) holding NaN/Infinity after an update, if any. */
function firstNonFiniteWeight(weights: NamedWeight[]): NamedWeight | undefined {
  const sums = tf.tidy(() => tf.stack(weights.map((w) => tf.sum(w.variable))).dataSync());
  const index = Array.from(sums).findIndex((v) => !Number.isFinite(v));
  return index >= 0 ? weights[index] : undefined;
}

/** What one forward/backward pass on a window gives, before any update: the data-parallel step's unit. */
export interface WindowGradients {
  loss: number;
  count: number;
  metrics: Record<string, number>;
  /** Gradients by weight name (the caller disposes them). */
  grads: Record<string, tf.Tensor>;
  finalState?: Record<string, tf.Tensor[]>;
}

/** Forward and backward on one window: loss, metrics and the gradient of every weight. */
export function windowGradients(
  model: StudioModel,
  batch: Batch,
  carried: Record<string, tf.Tensor[]> | undefined,
  random: (() => number) | undefined,
): WindowGradients {
  const byVariable = new Map(model.weights.map((w) => [w.variable.name, w]));
  let metricsKept: Record<string, tf.Scalar> = {};
  let finalState: Record<string, tf.Tensor[]> | undefined;
  let count = 0;
  const { value, grads: byVarName } = tf.variableGrads(() => {
    const result = model.forward(batch, { training: true, ...(carried ? { initialState: carried } : {}), ...(random ? { random } : {}) });
    // variableGrads tidies everything but the loss: keep what we read after it.
    metricsKept = result.metrics;
    for (const m of Object.values(result.metrics)) tf.keep(m);
    if (result.finalState) {
      finalState = Object.fromEntries(Object.entries(result.finalState).map(([k, list]) => [k, list.map((t) => tf.keep(t))]));
    }
    count = result.count;
    return result.loss;
  }, model.weights.map((w) => w.variable));
  const grads: Record<string, tf.Tensor> = {};
  for (const [name, g] of Object.entries(byVarName)) {
    const weight = byVariable.get(name);
    if (weight) grads[weight.name] = g;
    else g.dispose();
  }
  const loss = value.dataSync()[0] as number;
  const metrics = readScalars(metricsKept);
  tf.dispose([value, ...Object.values(metricsKept)]);
  return { loss, count, metrics, grads, ...(finalState ? { finalState } : {}) };
}

/**
 * The update half of a window: gradient report, the NaN guard, clipping, the optimizer step. Disposes
 * `grads`. The same for one model and for the summed gradients of data-parallel shards.
 */
export function applyGradients(
  model: StudioModel,
  loss: number,
  grads: Record<string, tf.Tensor>,
  optimizer: Optimizer,
  learningRate: number,
  clipping: ClippingConfig,
): { report: GradientReport; clipped: boolean; nonFinite?: NonFinite } {
  const report = gradientReport(model.weights, grads);
  if (!Number.isFinite(loss) || report.firstNonFinite) {
    tf.dispose(Object.values(grads));
    const nonFinite: NonFinite = report.firstNonFinite
      ? { where: Number.isFinite(loss) ? 'gradient' : 'loss', weight: report.firstNonFinite }
      : { where: 'loss' };
    return { report, clipped: false, nonFinite };
  }
  const clipped = clipGradients(grads, report, clipping);
  optimizer.apply(model.weights, clipped.grads, learningRate);
  if (clipped.clipped) tf.dispose(Object.values(clipped.grads));
  tf.dispose(Object.values(grads));
  const badWeight = firstNonFiniteWeight(model.weights);
  if (badWeight) {
    return { report, clipped: clipped.clipped, nonFinite: { where: 'weight', weight: badWeight } };
  }
  return { report, clipped: clipped.clipped };
}

function trainWindow(
  model: StudioModel,
  batch: Batch,
  optimizer: Optimizer,
  learningRate: number,
  clipping: ClippingConfig,
  carried: Record<string, tf.Tensor[]> | undefined,
  random: (() => number) | undefined,
): WindowResult & { finalState?: Record<string, tf.Tensor[]> } {
  const { loss, count, metrics, grads, finalState } = windowGradients(model, batch, carried, random);
  const applied = applyGradients(model, loss, grads, optimizer, learningRate, clipping);
  const base = { loss, count, metrics, report: applied.report, clipped: applied.clipped };
  if (applied.nonFinite) {
    disposeState(finalState);
    return { ...base, nonFinite: applied.nonFinite };
  }
  return { ...base, ...(finalState ? { finalState } : {}) };
}

export function trainBatch(
  model: StudioModel,
  batch: Batch,
  optimizer: Optimizer,
  learningRate: number,
  clipping: ClippingConfig,
  bpttSteps: number,
  random?: () => number,
): StepResult {
  const windows = timeWindows(batch, bpttSteps);
  let carried: Record<string, tf.Tensor[]> | undefined;
  let lossSum = 0;
  let count = 0;
  const metricSums: Record<string, number> = {};
  let report: GradientReport | undefined;
  let clipped = false;
  try {
    for (const window of windows) {
      const result = trainWindow(model, window, optimizer, learningRate, clipping, carried, random);
      disposeState(carried);
      carried = result.finalState;
      if (!report || !(result.report.global <= report.global)) report = result.report;
      clipped ||= result.clipped;
      if (result.nonFinite) return { ...result, report, clipped };
      lossSum += result.loss * result.count;
      count += result.count;
      for (const [k, v] of Object.entries(result.metrics)) metricSums[k] = (metricSums[k] ?? 0) + v * result.count;
    }
  } finally {
    disposeState(carried);
  }
  const n = Math.max(count, 1e-12);
  const metrics = Object.fromEntries(Object.entries(metricSums).map(([k, v]) => [k, v / n]));
  return { loss: lossSum / n, count, metrics, report: report as GradientReport, clipped };
}
