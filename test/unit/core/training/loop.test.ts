// The loop end to end on tiny hand-written models (test/fixtures/training): it learns, its events match
// the schema, stop + resume continues exactly, resuming from weights alone does not, a NaN in the data
// stops within the batch with the weights rolled back, and the probe reports gradient through time.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TelemetryEventSchema, type TelemetryEvent } from '../../../../core/telemetry/events.js';
import type { CheckpointState } from '../../../../core/training/checkpoint.js';
import { encodeCheckpoint } from '../../../../core/training/checkpoint.js';
import { TrainingConfigSchema, type TrainingConfigInput } from '../../../../core/training/config.js';
import { RunControl } from '../../../../core/training/control.js';
import { train } from '../../../../core/training/loop.js';
import type { TrainingData } from '../../../../core/training/source.js';
import { createToyModel, type ToyOptions } from '../../../fixtures/training/toyModels.js';
import { addingProblem, delayedCopy } from '../../../fixtures/training/toyData.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const toy: ToyOptions = { cell: 'lstm', inputSize: 2, units: 6, output: 'last', seed: 3 };
const data = (): TrainingData => ({
  task: 'regression',
  train: addingProblem(48, 8, 1),
  validation: addingProblem(16, 8, 2),
});

async function runOnce(
  config: TrainingConfigInput,
  options: {
    resumeFrom?: CheckpointState;
    stopAfterBatches?: number;
    /** Pause after this many batches; resume as soon as the loop says it has paused. */
    pauseAfterBatches?: number;
    trainingData?: TrainingData;
    model?: ToyOptions;
  } = {},
) {
  const model = createToyModel(options.model ?? toy);
  const tensorsBefore = tf.memory().numTensors;
  const events: TelemetryEvent[] = [];
  const checkpoints: { state: CheckpointState; reason: string }[] = [];
  const control = new RunControl();
  let batches = 0;
  const end = await train({
    runId: 'test',
    model,
    data: options.trainingData ?? data(),
    config: TrainingConfigSchema.parse(config),
    backend: 'cpu',
    control,
    ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
    hooks: {
      emit: (e) => {
        events.push(e);
        if (e.type === 'paused') control.resume();
      },
      saveCheckpoint: (state, reason) => {
        encodeCheckpoint(state); // what main/ writes: throws on a non-finite weight
        checkpoints.push({ state, reason });
        return `mem:${reason}:${state.step}`;
      },
      yieldToHost: async () => {
        batches += 1;
        if (options.stopAfterBatches !== undefined && batches >= options.stopAfterBatches) control.stop();
        if (batches === options.pauseAfterBatches) control.pause();
      },
    },
  });
  const finalWeights = model.weights.map((w) => Array.from(w.variable.dataSync()));
  // Nothing the loop made outlives the run (optimizer slots, gradients, probe tensors, carried state).
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  model.dispose();
  return { end, events, checkpoints, finalWeights };
}

const base: TrainingConfigInput = {
  epochs: 3,
  batchSize: 8,
  seed: 5,
  optimizer: { kind: 'adam', learningRate: 0.02 },
  probe: { everyEpochs: 0 },
};

describe('training loop', () => {
  it('learns the short adding problem and emits schema-valid events', async () => {
    const { end, events } = await runOnce({ ...base, epochs: 6 });
    for (const e of events) expect(TelemetryEventSchema.safeParse(e).success).toBe(true);
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).toHaveLength(6);
    const first = epochs[0]!.train.loss!;
    const last = epochs[5]!.train.loss!;
    expect(last).toBeLessThan(first * 0.6);
    expect(end.status).toBe('completed');
    const batch = events.find((e) => e.type === 'batch');
    expect(batch && batch.type === 'batch' && Object.keys(batch.gradNormPerGate.lstm1 ?? {})).toEqual([
      'input',
      'forget',
      'cell',
      'output',
    ]);
  });

  it(
    'stop mid-epoch + resume ends exactly where an uninterrupted run ends; ' + 'weights alone do not',
    async () => {
      const full = await runOnce(base);
      const stopped = await runOnce(base, { stopAfterBatches: 9 }); // epoch 2, batch 3 of 6
      expect(stopped.end.status).toBe('stopped');
      const saved = stopped.checkpoints.at(-1)!;
      expect(saved.reason).toBe('stop');
      expect(saved.state.batchInEpoch).toBe(3);
      const resumed = await runOnce(base, { resumeFrom: saved.state });
      const fullLoss = full.end.final.train!.loss!;
      expect(Math.abs(resumed.end.final.train!.loss! - fullLoss)).toBeLessThan(1e-5);
      expect(resumed.finalWeights).toEqual(full.finalWeights);
      // Weights alone: fresh optimizer state and position → a different run.
      const weightsOnly: CheckpointState = {
        ...saved.state,
        optimizer: { kind: 'adam', step: 0, slots: [] },
      };
      const naive = await runOnce(base, { resumeFrom: weightsOnly });
      expect(Math.abs(naive.end.final.train!.loss! - fullLoss)).toBeGreaterThan(1e-5);
    },
  );

  it(
    'with dropout, stop + resume still ends exactly like ' +
      'an uninterrupted run (dropout source is checkpointed)',
    async () => {
      const model = { ...toy, dropout: 0.3 };
      const full = await runOnce(base, { model });
      const stopped = await runOnce(base, { model, stopAfterBatches: 9 });
      const resumed = await runOnce(base, { model, resumeFrom: stopped.checkpoints.at(-1)!.state });
      expect(resumed.finalWeights).toEqual(full.finalWeights);
      const withoutDropoutState = await runOnce(base, {
        model,
        resumeFrom: { ...stopped.checkpoints.at(-1)!.state, dropoutRandom: 1 },
      });
      expect(withoutDropoutState.finalWeights).not.toEqual(full.finalWeights);
    },
  );

  it(
    'a NaN in the data stops within that batch, rolls back, ' +
      'names the first layer, saves nothing non-finite',
    async () => {
      const trainingData = data();
      const original = trainingData.train.batch.bind(trainingData.train);
      let calls = 0;
      trainingData.train = {
        ...trainingData.train,
        batch: (indices) => {
          calls += 1;
          const batch = original(indices);
          if (calls === 8) (batch.features!.data as Float32Array)[5] = NaN; // epoch 2, batch 2
          return batch;
        },
      };
      const { end, events, checkpoints, finalWeights } = await runOnce(base, { trainingData });
      expect(end.status).toBe('failed');
      const error = events.find((e) => e.type === 'error');
      expect(error).toMatchObject({
        code: 'non-finite',
        where: 'data',
        layer: 'lstm1',
        weight: 'lstm1/kernel',
        rolledBackTo: { epoch: 1, step: 6 },
      });
      // the NaN batch emitted no batch event
      expect(events.filter((e) => e.type === 'batch')).toHaveLength(7);
      expect(finalWeights.flat().every(Number.isFinite)).toBe(true);
      expect(checkpoints.length).toBeGreaterThan(0);
      const epoch1 = checkpoints.find((c) => c.reason === 'epoch')!.state;
      expect(finalWeights).toEqual(epoch1.weights.map((w) => Array.from(w.data)));
    },
  );

  it(
    'an exploding learning rate (no clipping) ' + 'is caught as non-finite, rolled back, never saved',
    async () => {
      const { end, events, finalWeights } = await runOnce({
        ...base,
        epochs: 20,
        optimizer: { kind: 'sgd', learningRate: 10 },
        clipping: { kind: 'none' },
      });
      expect(end.status).toBe('failed');
      const error = events.find((e) => e.type === 'error');
      if (error?.type !== 'error') throw new Error('no error event');
      expect(['weight', 'loss', 'gradient']).toContain(error.where);
      // The toy model's layers are the cell ('lstm1') and the dense head; the error names the first
      // weight that went bad, and the message says it in words.
      expect(['lstm1', 'head']).toContain(error.layer);
      expect(error.weight?.startsWith(`${error.layer}/`)).toBe(true);
      expect(error.message).toContain(`first in layer "${error.layer}" (${error.weight})`);
      expect(error.message).toMatch(/rolled back/);
      // runOnce also encoded every checkpoint (refuses non-finite)
      expect(finalWeights.flat().every(Number.isFinite)).toBe(true);
    },
  );

  it('pause is said after the last finished batch, resume right after; results do not change', async () => {
    const config = { ...base, epochs: 2 };
    const plain = await runOnce(config);
    const paused = await runOnce(config, { pauseAfterBatches: 3 });
    const kinds = paused.events.map((e) => e.type);
    const at = kinds.indexOf('paused');
    expect(kinds.filter((k) => k === 'paused')).toHaveLength(1);
    expect(paused.events[at - 1]).toMatchObject({ type: 'batch', step: 3 });
    expect(paused.events[at]).toMatchObject({ type: 'paused', epoch: 1, step: 3 });
    expect(paused.events[at + 1]).toMatchObject({ type: 'resumed', epoch: 1, step: 3 });
    expect(paused.events[at + 2]).toMatchObject({ type: 'batch', step: 4 });
    expect(paused.end.status).toBe('completed');
    expect(paused.finalWeights).toEqual(plain.finalWeights);
    expect(plain.events.some((e) => e.type === 'paused' || e.type === 'resumed')).toBe(false);
  });

  it('early stopping ends the run when the watched metric stops improving', async () => {
    const { end } = await runOnce({
      ...base,
      epochs: 20,
      optimizer: { kind: 'sgd', learningRate: 1e-9 },
      earlyStopping: { patience: 2, minDelta: 0.1 },
    });
    expect(end.status).toBe('early-stopped');
    expect(end.epochs).toBe(3);
  });

  it('probe: gradient through time per step, hidden states and gates for the probe example', async () => {
    const { events } = await runOnce({ ...base, epochs: 1, probe: { everyEpochs: 1 } });
    const probe = events.find((e) => e.type === 'probe');
    if (probe?.type !== 'probe') throw new Error('no probe event');
    expect(probe.gradientThroughTime[0]?.layer).toBe('lstm1');
    expect(probe.gradientThroughTime[0]?.norms).toHaveLength(8);
    expect(probe.hiddenStates[0]?.values).toHaveLength(6); // units × time
    expect(probe.gates.map((g) => g.gate)).toEqual(['forget']);
  });

  it('truncated BPTT: one update per window, state carried between windows', async () => {
    const tagging = {
      cell: 'elman' as const,
      inputSize: 3,
      units: 5,
      output: 'per-step' as const,
      classes: 3,
      seed: 2,
    };
    const copy = (): TrainingData => ({ task: 'tagging', train: delayedCopy(16, 12, 3, 4) });
    const plain = await runOnce({ ...base, epochs: 1 }, { trainingData: copy(), model: tagging });
    const windows = await runOnce(
      { ...base, epochs: 1, truncatedBptt: { steps: 4 } },
      { trainingData: copy(), model: tagging },
    );
    expect(plain.checkpoints.at(-1)!.state.optimizer.step).toBe(2);
    expect(windows.checkpoints.at(-1)!.state.optimizer.step).toBe(6);
    expect(windows.end.final.train!.metrics.tokenAccuracy).not.toBeNull();
  });
});
