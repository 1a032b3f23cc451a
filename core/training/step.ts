// One training batch: forward and backward, the NaN guard, gradient norms, clipping, the update.
// With truncated BPTT the batch is several windows, each its own update, state carried between them.
// Nothing is read back until a window's update is done: then the loss, metrics, gradient statistics and
// the weights' finiteness come back in one read (on a GPU every read stalls the queue). A NaN or Infinity
// found there stops the run and the loop rolls weights and optimizer state back to the last good epoch.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; the engine's module registers them (see there why that way).
import '../engine/gradients.js';
import type { Batch } from '../data/batch.js';
import type { NamedWeight, StudioModel } from '../engine/types.js';
import type { ClippingConfig } from './config.js';
import {
  clipGradients,
  clippingBit,
  gradientStats,
  readGradientReport,
  type GradientReport,
} from './gradients.js';
import type { Optimizer } from './optimizers.js';
import { wasmGradientSquares } from './wasmGradients.js';
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

/** One truncated-BPTT window's figures, in the step's shape (the step weights them over its windows). */
type WindowResult = StepResult;

export function disposeState(state: Record<string, tf.Tensor[]> | undefined): void {
  if (state) for (const list of Object.values(state)) tf.dispose(list);
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

/** windowGradients with the loss and metrics still on the backend (the one-engine step reads them later). */
interface DeviceWindow extends Omit<WindowGradients, 'loss' | 'metrics'> {
  loss: tf.Scalar;
  metrics: Record<string, tf.Scalar>;
}

/**
 * Forward and backward on one window: loss, metrics and the gradient of every weight, read back (a
 * data-parallel shard sends them to the engine that updates; synchronous reads, a CPU backend's).
 */
export function windowGradients(
  model: StudioModel,
  batch: Batch,
  carried: Record<string, tf.Tensor[]> | undefined,
  random: (() => number) | undefined,
): WindowGradients {
  const w = deviceWindowGradients(model, batch, carried, random);
  const keys = Object.keys(w.metrics);
  const values = tf.tidy(() => tf.stack([w.loss, ...keys.map((k) => w.metrics[k] as tf.Scalar)]).dataSync());
  tf.dispose([w.loss, ...Object.values(w.metrics)]);
  const metrics = Object.fromEntries(keys.map((k, i) => [k, values[i + 1] as number]));
  return { ...w, loss: values[0] as number, metrics };
}

function deviceWindowGradients(
  model: StudioModel,
  batch: Batch,
  carried: Record<string, tf.Tensor[]> | undefined,
  random: (() => number) | undefined,
): DeviceWindow {
  const byVariable = new Map(model.weights.map((w) => [w.variable.name, w]));
  let metricsKept: Record<string, tf.Scalar> = {};
  let finalState: Record<string, tf.Tensor[]> | undefined;
  let count = 0;
  const { value, grads: byVarName } = tf.variableGrads(
    () => {
      const result = model.forward(batch, {
        training: true,
        ...(carried ? { initialState: carried } : {}),
        ...(random ? { random } : {}),
      });
      // variableGrads tidies everything but the loss: keep what we read after it.
      metricsKept = result.metrics;
      for (const m of Object.values(result.metrics)) tf.keep(m);
      if (result.finalState) {
        finalState = Object.fromEntries(
          Object.entries(result.finalState).map(([k, list]) => [k, list.map((t) => tf.keep(t))]),
        );
      }
      count = result.count;
      return result.loss;
    },
    model.weights.map((w) => w.variable),
  );
  const grads: Record<string, tf.Tensor> = {};
  for (const [name, g] of Object.entries(byVarName)) {
    const weight = byVariable.get(name);
    if (weight) grads[weight.name] = g;
    else g.dispose();
  }
  return { loss: value, count, metrics: metricsKept, grads, ...(finalState ? { finalState } : {}) };
}

/**
 * The update half of a window: gradient statistics, clipping (decided on the backend), the optimizer
 * step, then ONE read: loss, metrics, gradient report and each weight's sum (a NaN or Infinity in a weight
 * shows there). Disposes `grads` and the loss and metric tensors. The same for one model and for the
 * summed gradients of data-parallel shards (which pass the loss as a number, metrics none).
 */
export async function applyGradients(
  model: StudioModel,
  lossIn: number | tf.Scalar,
  grads: Record<string, tf.Tensor>,
  optimizer: Optimizer,
  learningRate: number,
  clipping: ClippingConfig,
  metricTensors: Record<string, tf.Scalar> = {},
  timeline?: { mark(phase: string): void },
): Promise<{
  loss: number;
  metrics: Record<string, number>;
  report: GradientReport;
  clipped: boolean;
  nonFinite?: NonFinite;
}> {
  const stats = gradientStats(model.weights, grads);
  const update = clipGradients(grads, stats, clipping);
  timeline?.mark('gradient norms');
  optimizer.apply(model.weights, update, learningRate);
  if (update !== grads) tf.dispose(Object.values(update));
  tf.dispose(Object.values(grads));
  timeline?.mark('optimizer');
  const metricKeys = Object.keys(metricTensors);
  // Whether every updated weight is finite: on wasm from each weight's largest |entry| in one pass (NaN
  // and Infinity carry through it), elsewhere from each weight's sum, read with the loss below.
  const weightMaxima = wasmGradientSquares(model.weights.map((w) => ({ grad: w.variable, gates: 1 })));
  const telemetry = tf.tidy(() =>
    tf.concat([
      typeof lossIn === 'number' ? tf.tensor1d([lossIn]) : tf.reshape(lossIn, [1]),
      ...metricKeys.map((k) => tf.reshape(metricTensors[k] as tf.Scalar, [1])),
      stats.values,
      ...(weightMaxima ? [] : model.weights.map((w) => tf.reshape(tf.sum(w.variable), [1]))),
    ]),
  );
  tf.dispose([...(typeof lossIn === 'number' ? [] : [lossIn]), ...Object.values(metricTensors)]);
  tf.dispose([stats.values, stats.global, stats.maxAbs]);
  const values = (await telemetry.data()) as Float32Array;
  telemetry.dispose();
  timeline?.mark('telemetry');
  const loss = values[0] as number;
  const metrics = Object.fromEntries(metricKeys.map((k, i) => [k, values[1 + i] as number]));
  const statsStart = 1 + metricKeys.length;
  const weightsStart = values.length - (weightMaxima ? 0 : model.weights.length);
  const report = readGradientReport(stats.layout, values.subarray(statsStart, weightsStart));
  const clipped = clippingBit(report, clipping);
  const badWeight = model.weights.find(
    (_, i) => !Number.isFinite(weightMaxima ? weightMaxima[i]!.maxAbs : (values[weightsStart + i] as number)),
  );
  const nonFinite: NonFinite | undefined = !Number.isFinite(loss)
    ? { where: 'loss', ...(report.firstNonFinite ? { weight: report.firstNonFinite } : {}) }
    : report.firstNonFinite
      ? { where: 'gradient', weight: report.firstNonFinite }
      : badWeight
        ? { where: 'weight', weight: badWeight }
        : undefined;
  return { loss, metrics, report, clipped, ...(nonFinite ? { nonFinite } : {}) };
}

async function trainWindow(
  model: StudioModel,
  batch: Batch,
  optimizer: Optimizer,
  learningRate: number,
  clipping: ClippingConfig,
  carried: Record<string, tf.Tensor[]> | undefined,
  random: (() => number) | undefined,
): Promise<WindowResult & { finalState?: Record<string, tf.Tensor[]> }> {
  const w = deviceWindowGradients(model, batch, carried, random);
  const finalState = w.finalState;
  const applied = await applyGradients(model, w.loss, w.grads, optimizer, learningRate, clipping, w.metrics);
  const { loss, metrics } = applied;
  const base = { loss, count: w.count, metrics, report: applied.report, clipped: applied.clipped };
  if (applied.nonFinite) {
    disposeState(finalState);
    return { ...base, nonFinite: applied.nonFinite };
  }
  return { ...base, ...(finalState ? { finalState } : {}) };
}

/**
 * A batch's figures over its truncated-BPTT windows (and, data-parallel, its shards): loss and metrics
 * weighted by each window's real positions, the gradient report of the window with the largest global
 * norm, and clipped when any window was.
 */
export class WindowTally {
  private lossSum = 0;
  private count = 0;
  private readonly metricSums: Record<string, number> = {};
  report: GradientReport | undefined;
  clipped = false;

  /** A window's gradient report and clipping, also for a window whose step turned out non-finite. */
  see(report: GradientReport, clipped: boolean): void {
    if (!this.report || !(report.global <= this.report.global)) this.report = report;
    this.clipped ||= clipped;
  }

  /** A finite window's loss and metrics over its `count` real positions. */
  add(loss: number, count: number, metrics: Record<string, number>): void {
    this.lossSum += loss * count;
    this.count += count;
    for (const [k, v] of Object.entries(metrics)) this.metricSums[k] = (this.metricSums[k] ?? 0) + v * count;
  }

  result(): StepResult {
    const n = Math.max(this.count, 1e-12);
    const metrics = Object.fromEntries(Object.entries(this.metricSums).map(([k, v]) => [k, v / n]));
    return {
      loss: this.lossSum / n,
      count: this.count,
      metrics,
      report: this.report as GradientReport,
      clipped: this.clipped,
    };
  }
}

export async function trainBatch(
  model: StudioModel,
  batch: Batch,
  optimizer: Optimizer,
  learningRate: number,
  clipping: ClippingConfig,
  bpttSteps: number,
  random?: () => number,
): Promise<StepResult> {
  const windows = timeWindows(batch, bpttSteps);
  let carried: Record<string, tf.Tensor[]> | undefined;
  const tally = new WindowTally();
  try {
    for (const window of windows) {
      const result = await trainWindow(model, window, optimizer, learningRate, clipping, carried, random);
      disposeState(carried);
      carried = result.finalState;
      tally.see(result.report, result.clipped);
      if (result.nonFinite) return { ...result, report: tally.report!, clipped: tally.clipped };
      tally.add(result.loss, result.count, result.metrics);
    }
  } finally {
    disposeState(carried);
  }
  return tally.result();
}
