// Divergence: the rule (core/training/divergence.ts) on hand-made series, then a real run whose loss
// explodes (SGD far past its stable rate, no clipping): the warning comes as it happens, with the step,
// the value and the growth, before any NaN; with stopOnDivergence the run stops and rolls back.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  TelemetryEventSchema,
  type TelemetryEvent,
  type WarningEvent,
} from '../../../../core/telemetry/events.js';
import { TrainingConfigSchema, type TrainingConfigInput } from '../../../../core/training/config.js';
import { RunControl } from '../../../../core/training/control.js';
import { DivergenceWatch } from '../../../../core/training/divergence.js';
import { train } from '../../../../core/training/loop.js';
import { createToyModel } from '../../../fixtures/training/toyModels.js';
import { addingProblem } from '../../../fixtures/training/toyData.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Feeds a loss series (gradient norm fixed at 1) and returns the steps flagged. */
function flagged(
  losses: number[],
  gradNorms?: number[],
): { step: number; quantity: string; growth: number }[] {
  const watch = new DivergenceWatch();
  return losses.flatMap((loss, i) =>
    watch
      .observe(i + 1, { loss, gradNorm: gradNorms?.[i] ?? 1 })
      .map((d) => ({ step: d.step, quantity: d.quantity, growth: d.growth })),
  );
}

describe('divergence rule', () => {
  it('a loss ×1,000,000 over nine batches is flagged at the 4th growing batch, once per window', () => {
    const steady = Array.from({ length: 12 }, (_, i) => 2 - i * 0.01);
    const growing = Array.from({ length: 9 }, (_, i) => 1.9 * Math.pow(1e6, (i + 1) / 9));
    const found = flagged([...steady, ...growing]);
    expect(found[0]).toMatchObject({ step: 16, quantity: 'loss' });
    expect(found[0]!.growth).toBeGreaterThan(100);
    expect(found.length).toBeLessThanOrEqual(2); // the window restarts after a warning
  });

  it('a single spike, noisy small losses and slow growth are not divergence', () => {
    const lateTraining = Array.from({ length: 40 }, (_, i) => (i % 7 === 3 ? 0.2 : 0.0005 + (i % 3) * 1e-4));
    expect(flagged(lateTraining)).toEqual([]);
    const spike = [...Array.from({ length: 12 }, () => 1), 500, 1, 1, 1];
    expect(flagged(spike)).toEqual([]);
    const slow = Array.from({ length: 60 }, (_, i) => Math.pow(1.1, i)); // ×1.1 a batch: ×2.4 over nine
    expect(flagged(slow)).toEqual([]);
  });

  it('the gradient norm: flagged when it explodes past 1, not while it grows from tiny values', () => {
    // ×177,000, ends at 0.18
    const tinyGrowing = Array.from({ length: 12 }, (_, i) => 1e-6 * Math.pow(3, i));
    expect(flagged(Array(12).fill(1), tinyGrowing)).toEqual([]);
    // The same growth carried past 1 is exploding.
    const onward = Array.from({ length: 14 }, (_, i) => 1e-6 * Math.pow(3, i)); // ends at 1.6
    expect(flagged(Array(14).fill(1), onward)).toEqual([
      expect.objectContaining({ step: 14, quantity: 'gradNorm' }),
    ]);
    const exploding = [...Array(10).fill(0.5), 0.5 * 10, 0.5 * 60, 0.5 * 400];
    expect(flagged(Array(13).fill(1), exploding)).toEqual([
      expect.objectContaining({ step: 13, quantity: 'gradNorm', growth: 400 }),
    ]);
  });
});

async function diverging(config: TrainingConfigInput) {
  const model = createToyModel({ cell: 'elman', inputSize: 2, units: 8, output: 'last', seed: 3 });
  const events: TelemetryEvent[] = [];
  const checkpoints: number[] = [];
  const end = await train({
    runId: 'diverging',
    model,
    backend: 'cpu',
    control: new RunControl(),
    data: { task: 'regression', train: addingProblem(96, 6, 1), validation: addingProblem(16, 6, 2) },
    config: TrainingConfigSchema.parse({
      epochs: 6,
      batchSize: 4,
      seed: 5,
      probe: { everyEpochs: 0 },
      clipping: { kind: 'none' },
      optimizer: { kind: 'sgd', learningRate: 3 },
      ...config,
    }),
    hooks: { emit: (e) => events.push(e), saveCheckpoint: (state) => (checkpoints.push(state.step), 'mem') },
  });
  const weights = model.weights.map((w) => Array.from(w.variable.dataSync()));
  model.dispose();
  return { end, events, checkpoints, weights };
}

describe('a run that diverges', () => {
  it('warns as it happens: the step, the value, the growth; before the loss is infinite', async () => {
    const { events } = await diverging({});
    for (const e of events)
      expect(TelemetryEventSchema.safeParse(e).success, JSON.stringify(e).slice(0, 200)).toBe(true);
    const warning = events.find((e) => e.type === 'warning' && /exploding/.test(e.code));
    expect(
      warning,
      events.map((e) => e.type + (e.type === 'batch' ? `:${e.loss}` : '')).join(' '),
    ).toBeDefined();
    if (warning?.type !== 'warning') return;
    expect(warning.growth).toBeGreaterThanOrEqual(100);
    expect(warning.message).toContain(`at step ${warning.step}`);
    const batch = events.find((e) => e.type === 'batch' && e.step === warning.step);
    expect(batch?.type === 'batch' && Number.isFinite(batch.loss ?? NaN)).toBe(true);
    // It came before any NaN error, and the run went on (stop on divergence is off by default).
    const errorAt = events.findIndex((e) => e.type === 'error');
    if (errorAt >= 0) expect(events.indexOf(warning)).toBeLessThan(errorAt);
    expect(events.filter((e) => e.type === 'batch' && e.step > warning.step!).length).toBeGreaterThan(0);
  });

  it('stopOnDivergence: stops at that batch and rolls the weights back to the last checkpoint', async () => {
    const { end, events, checkpoints } = await diverging({ stopOnDivergence: true });
    const warning = events.find((e): e is WarningEvent => e.type === 'warning' && /exploding/.test(e.code));
    expect(warning?.message).toMatch(
      /Training stopped \(stop on divergence is on\); the weights were rolled back to epoch \d+/,
    );
    expect(end.status).toBe('stopped');
    expect(end.steps).toBe(warning?.step);
    expect(events.some((e) => e.type === 'checkpoint' && e.reason === 'stop')).toBe(false);
    expect(events.some((e) => e.type === 'error')).toBe(false);
    expect(checkpoints.every((step) => step < end.steps)).toBe(true);
  });
});
