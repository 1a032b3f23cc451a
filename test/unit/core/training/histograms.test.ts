// Histogram snapshots of a run: which epochs get one (every epoch of a short run, at most 50 in a long
// one, first and last included), the real-steps cut of a padded activation, per-weight histograms from
// the values the loop already holds, and the loop end to end: a 500-epoch run keeps the bound, a short run
// snapshots every epoch, and nothing is left allocated.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistogramEvent, TelemetryEvent } from '../../../../core/telemetry/events.js';
import { TelemetryEventSchema } from '../../../../core/telemetry/events.js';
import { TrainingConfigSchema, type TrainingConfigInput } from '../../../../core/training/config.js';
import { RunControl } from '../../../../core/training/control.js';
import {
  histogramDue,
  MAX_HISTOGRAM_SNAPSHOTS,
  realSteps,
  weightHistograms,
} from '../../../../core/training/histograms.js';
import { train } from '../../../../core/training/loop.js';
import { saveWeights } from '../../../../core/training/weights.js';
import { createToyModel } from '../../../fixtures/training/toyModels.js';
import { addingProblem } from '../../../fixtures/training/toyData.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dueEpochs = (epochs: number, max?: number) =>
  Array.from({ length: epochs }, (_, i) => i + 1).filter((e) => histogramDue(e, epochs, max));

describe('histogram sampling', () => {
  it('snapshots every epoch of a run of up to 50 epochs', () => {
    expect(dueEpochs(1)).toEqual([1]);
    expect(dueEpochs(12)).toHaveLength(12);
    expect(dueEpochs(MAX_HISTOGRAM_SNAPSHOTS)).toHaveLength(MAX_HISTOGRAM_SNAPSHOTS);
  });

  it('a long run keeps one fewer than the bound, evenly spread, first and last epoch included', () => {
    for (const epochs of [51, 99, 500, 10_000]) {
      const due = dueEpochs(epochs);
      expect(due, `${epochs} epochs`).toHaveLength(MAX_HISTOGRAM_SNAPSHOTS - 1);
      expect(due[0]).toBe(1);
      expect(due.at(-1)).toBe(epochs);
      const gaps = due.slice(1).map((e, i) => e - due[i]!);
      expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
    }
    expect(dueEpochs(10, 4)).toEqual([1, 6, 10]);
  });

  it('no epoch outside the run, and a bound below 3 is refused', () => {
    expect(histogramDue(0, 10)).toBe(false);
    expect(histogramDue(11, 10)).toBe(false);
    expect(() => histogramDue(1, 10, 2)).toThrow(/at least 3/);
  });
});

describe('activation values', () => {
  it('keeps the real time steps of a padded [B,T,F] output, in order', () => {
    // B=2, T=3, F=2; the second sequence has one real step.
    const data = Float32Array.from({ length: 12 }, (_, i) => i);
    const mask = Float32Array.from([1, 1, 1, 1, 0, 0]);
    expect(Array.from(realSteps([2, 3, 2], data, mask))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('takes a vector output, an unmasked output or a mask that does not fit as it is', () => {
    const data = Float32Array.from([1, 2, 3, 4]);
    expect(realSteps([2, 2], data, Float32Array.from([1, 0, 1, 0]))).toBe(data);
    expect(realSteps([1, 2, 2], data, null)).toBe(data);
    expect(realSteps([1, 2, 2], data, Float32Array.from([1, 1]))).toBe(data);
    expect(realSteps([1, 2, 2], data, Float32Array.from([1]))).toBe(data);
  });
});

describe('weight histograms', () => {
  it('one per weight tensor, named and placed in its layer, from the saved values', async () => {
    const model = createToyModel({ cell: 'lstm', inputSize: 2, units: 3, output: 'last', seed: 1 });
    const saved = await saveWeights(model.weights);
    const h = weightHistograms(model.weights, saved, 10);
    expect(h.map((w) => [w.layer, w.weight])).toEqual(model.weights.map((w) => [w.node, w.name]));
    for (const w of h) {
      const size = model.weights.find((m) => m.name === w.weight)!.variable.size;
      expect(w.histogram.count).toBe(size);
      expect(w.histogram.counts.reduce((a, b) => a + b, 0)).toBe(size);
    }
    // The LSTM bias starts as 0 except the forget gate's 1s: two populated bins, at the ends.
    const bias = h.find((w) => w.weight === 'lstm1/bias')!.histogram;
    expect([bias.counts[0], bias.counts[9]]).toEqual([9, 3]);
    model.dispose();
  });
});

async function trainToy(config: TrainingConfigInput) {
  const model = createToyModel({ cell: 'elman', inputSize: 2, units: 3, output: 'last', seed: 2 });
  const before = tf.memory().numTensors;
  const events: TelemetryEvent[] = [];
  await train({
    runId: 'h',
    model,
    data: { task: 'regression', train: addingProblem(8, 4, 1) },
    config: TrainingConfigSchema.parse(config),
    backend: 'cpu',
    control: new RunControl(),
    hooks: { emit: (e) => events.push(e), saveCheckpoint: () => 'memory' },
  });
  expect(tf.memory().numTensors).toBe(before);
  model.dispose();
  return events.filter((e): e is HistogramEvent => e.type === 'histogram');
}

describe('histograms in the training loop', () => {
  it('a 500-epoch run keeps at most 50 snapshots, from the first epoch to the last', async () => {
    const snapshots = await trainToy({
      epochs: 500,
      batchSize: 8,
      seed: 1,
      probe: { everyEpochs: 0 },
      checkpointEveryEpochs: 500,
      optimizer: { kind: 'sgd', learningRate: 0.01 },
    });
    expect(snapshots.length).toBeLessThanOrEqual(MAX_HISTOGRAM_SNAPSHOTS);
    expect(snapshots.map((s) => s.epoch)).toEqual(dueEpochs(500));
    for (const s of snapshots) expect(TelemetryEventSchema.safeParse(s).success).toBe(true);
  }, 60_000);

  it('a short run snapshots every epoch; the epoch early stopping ends on is the last snapshot', async () => {
    const all = await trainToy({ epochs: 3, batchSize: 8, seed: 1, probe: { everyEpochs: 1 } });
    expect(all.map((s) => s.epoch)).toEqual([1, 2, 3]);
    expect(all[0]!.weights.map((w) => w.weight)).toEqual([
      'elman1/kernel',
      'elman1/recurrent_kernel',
      'elman1/bias',
      'head/kernel',
      'head/bias',
    ]);
    const stopped = await trainToy({
      epochs: 200,
      batchSize: 8,
      seed: 1,
      probe: { everyEpochs: 0 },
      optimizer: { kind: 'sgd', learningRate: 1e-9 },
      earlyStopping: { patience: 2, metric: 'train.loss', minDelta: 0.1 },
    });
    // A learning rate of 1e-9 moves nothing by 0.1: epoch 1 is the best, 3 the second without progress.
    expect(stopped.map((s) => s.epoch)).toEqual([1, 3]);
  }, 60_000);
});
