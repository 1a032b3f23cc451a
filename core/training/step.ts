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
  gradientStats,
  readGradientReport,
  clippingBit,
  type GradientReport,
} from './gradients.js';
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

function disposeState(state: Record<string, tf.Tensor[]> | undefined): void {
  if (state) for (const list of Object.values(state)) tf.dispose(list);
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
  }
  const stats = gradientStats(model.weights, grads);
  const update = clipGradients(grads, stats, clipping);
  optimizer.apply(model.weights, update, learningRate);
  if (update !== grads) tf.dispose(Object.values(update));
  tf.dispose(Object.values(byVarName));
  const metricKeys = Object.keys(metricsKept);
  const telemetry = tf.tidy(() =>
    tf.concat([
      tf.reshape(value, [1]),
      ...metricKeys.map((k) => tf.reshape(metricsKept[k] as tf.Scalar, [1])),
      stats.values,
      // Each weight's sum after the update: NaN or Infinity in a weight shows here.
      ...model.weights.map((w) => tf.reshape(tf.sum(w.variable), [1])),
    ]),
  );
  tf.dispose([value, ...Object.values(metricsKept), stats.values, stats.global, stats.maxAbs]);
  const values = await readBack(telemetry);
  telemetry.dispose();
  const loss = values[0] as number;
  const metrics = Object.fromEntries(metricKeys.map((k, i) => [k, values[1 + i] as number]));
  const statsStart = 1 + metricKeys.length;
  const weightsStart = statsStart + stats.values.size;
  const report = readGradientReport(stats.layout, values.subarray(statsStart, weightsStart));
  const clipped = clippingBit(report, clipping);
  const base = { loss, count, metrics, report, clipped };
  const badWeight = model.weights.find((_, i) => !Number.isFinite(values[weightsStart + i] as number));
  const nonFinite: NonFinite | undefined = !Number.isFinite(loss)
    ? { where: 'loss', ...(report.firstNonFinite ? { weight: report.firstNonFinite } : {}) }
    : report.firstNonFinite
      ? { where: 'gradient', weight: report.firstNonFinite }
      : badWeight
        ? { where: 'weight', weight: badWeight }
        : undefined;
  if (nonFinite) {
    disposeState(finalState);
    return { ...base, nonFinite };
  }
  return { ...base, ...(finalState ? { finalState } : {}) };
}

/** The step's one read back to the host (`readback` counts it where a counter is installed). */
async function readBack(t: tf.Tensor): Promise<Float32Array> {
  return (await t.data()) as Float32Array;
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
  let lossSum = 0;
  let count = 0;
  const metricSums: Record<string, number> = {};
  let report: GradientReport | undefined;
  let clipped = false;
  try {
    for (const window of windows) {
      const result = await trainWindow(model, window, optimizer, learningRate, clipping, carried, random);
      disposeState(carried);
      carried = result.finalState;
      if (!report || !(result.report.global <= report.global)) report = result.report;
      clipped ||= result.clipped;
      if (result.nonFinite) return { ...result, report, clipped };
      lossSum += result.loss * result.count;
      count += result.count;
      for (const [k, v] of Object.entries(result.metrics))
        metricSums[k] = (metricSums[k] ?? 0) + v * result.count;
    }
  } finally {
    disposeState(carried);
  }
  const n = Math.max(count, 1e-12);
  const metrics = Object.fromEntries(Object.entries(metricSums).map(([k, v]) => [k, v / n]));
  return { loss: lossSum / n, count, metrics, report: report as GradientReport, clipped };
}
