import { describe, expect, it } from 'vitest';
import { makeEvent, parseTelemetryEvent, TelemetryEventSchema } from '../../../../core/telemetry/events.js';
import {
  defaultTrainingConfig,
  parseTrainingConfig,
  TrainingConfigSchema,
} from '../../../../core/training/config.js';

describe('training config', () => {
  it('fills every default from an empty object', () => {
    const config = defaultTrainingConfig();
    expect(config.optimizer).toMatchObject({ kind: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999 });
    expect(config.clipping).toEqual({ kind: 'global-norm', value: 5 });
    expect(config.truncatedBptt.steps).toBe(0);
    expect(config.earlyStopping.patience).toBe(0);
  });
  it('keeps given fields and fills the rest of a nested object', () => {
    const config = TrainingConfigSchema.parse({ optimizer: { kind: 'sgd', momentum: 0.9 } });
    expect(config.optimizer).toMatchObject({ kind: 'sgd', momentum: 0.9, learningRate: 0.001 });
  });
  it('names the field of a bad value', () => {
    const result = parseTrainingConfig({ optimizer: { learningRate: -1 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.field).toBe('optimizer.learningRate');
    expect(parseTrainingConfig({ epochz: 3 }).ok).toBe(false);
  });
});

describe('telemetry events', () => {
  it('round-trips a batch event through JSON', () => {
    const event = makeEvent({
      type: 'batch',
      epoch: 1,
      batch: 2,
      batchesPerEpoch: 10,
      step: 2,
      loss: 0.5,
      metrics: { accuracy: 0.75 },
      learningRate: 0.001,
      tokensPerSecond: 1000,
      gradNorm: 2,
      gradNormPerLayer: { lstm1: 1.5 },
      gradNormPerGate: { lstm1: { input: 1, forget: 0.5, cell: 0.7, output: 0.2 } },
      clipped: false,
    });
    const parsed = parseTelemetryEvent(JSON.parse(JSON.stringify(event)));
    expect(parsed.ok).toBe(true);
  });
  it('rejects an event of an unknown type or version', () => {
    expect(parseTelemetryEvent({ v: 1, time: 0, type: 'bogus' }).ok).toBe(false);
    expect(
      TelemetryEventSchema.safeParse({ v: 2, time: 0, type: 'warning', code: 'x', message: 'y' }).success,
    ).toBe(false);
  });
});
