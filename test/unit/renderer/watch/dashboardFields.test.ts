// The telemetry fields the dashboards draw, by event kind. Renaming one of them in core/telemetry fails
// here twice: at compile time (each name must be a key of its event type; `npx tsc -p test/tsconfig.json`)
// and at run time (each name must be in the event's zod schema, and a run folded by the recorder must fill
// every series a chart reads). The recorder itself reads the same fields by their typed names.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  TelemetryEventSchema,
  type TelemetryEvent,
  type TelemetryEventType,
} from '../../../../core/telemetry/events.js';
import { RunRecorder } from '../../../../renderer/src/watch/runRecorder.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';

type FieldsOf<K extends TelemetryEventType> = keyof Extract<TelemetryEvent, { type: K }>;

/** What the Training, Gradients, Attention & gates, Histograms and Runs views draw, through the recorder. */
const DASHBOARD_FIELDS = {
  'run-start': [
    'runId',
    'backend',
    'backendNote',
    'task',
    'config',
    'model',
    'batchesPerEpoch',
    'resumedFrom',
  ],
  batch: [
    'epoch',
    'batch',
    'batchesPerEpoch',
    'step',
    'loss',
    'metrics',
    'learningRate',
    'tokensPerSecond',
    'gradNorm',
    'gradNormPerLayer',
    'gradNormPerGate',
    'clipped',
  ],
  epoch: ['epoch', 'epochs', 'step', 'train', 'validation'],
  probe: ['epoch', 'step', 'example', 'gradientThroughTime', 'gates', 'hiddenStates', 'attention'],
  histogram: ['epoch', 'step', 'weights', 'activations'],
  checkpoint: ['epoch', 'step', 'reason', 'location'],
  warning: ['message', 'layer'],
  error: ['message', 'layer', 'weight'],
  // The status line reads only their kind: Paused / Training.
  paused: [],
  resumed: [],
  'run-end': ['status', 'final', 'best'],
} as const satisfies { [K in TelemetryEventType]: readonly FieldsOf<K>[] };

describe('telemetry fields the dashboards read', () => {
  it('are keys of their event types (checked by the compiler)', () => {
    expectTypeOf(DASHBOARD_FIELDS.batch).items.toExtend<FieldsOf<'batch'>>();
    expectTypeOf<keyof typeof DASHBOARD_FIELDS>().toEqualTypeOf<TelemetryEventType>();
  });

  it('are in the schema of every event kind', () => {
    for (const schema of TelemetryEventSchema.options) {
      const kind = schema.shape.type.value;
      const shape = Object.keys(schema.shape);
      for (const field of DASHBOARD_FIELDS[kind]) expect(shape, `${kind}.${field}`).toContain(field);
    }
  });

  it('fill every series and record the charts draw from a run', () => {
    const r = new RunRecorder();
    for (const event of syntheticRun({ epochs: 2, batchesPerEpoch: 5, steps: 6, units: 4, histograms: true }))
      r.ingest(event);
    const series = {
      loss: r.loss,
      validationLoss: r.validationLoss,
      epochLoss: r.epochLoss,
      learningRate: r.learningRate,
      tokensPerSecond: r.tokensPerSecond,
      gradNorm: r.gradNorm,
    };
    for (const [name, s] of Object.entries(series)) expect(s.length, name).toBeGreaterThan(0);
    expect(r.layerNorms.size).toBeGreaterThan(0);
    expect(r.gateNorms.size).toBeGreaterThan(0);
    expect(r.batchMetrics.size).toBeGreaterThan(0);
    expect(r.epochMetrics.size).toBeGreaterThan(0);
    const probe = r.latestProbe()!;
    expect(Object.keys(probe.gradNormPerStep).length).toBeGreaterThan(0);
    expect(Object.keys(probe.gates).length).toBeGreaterThan(0);
    expect(Object.keys(probe.hidden).length).toBeGreaterThan(0);
    expect(Object.keys(probe.attention).length).toBeGreaterThan(0);
    expect(probe.tokens.length).toBeGreaterThan(0);
    expect(r.checkpoints.length).toBeGreaterThan(0);
    expect(r.histograms.map((h) => h.epoch)).toEqual([1, 2]);
    expect(r.histogramLayers('weights').length).toBeGreaterThan(0);
    expect(r.histogramLayers('activations').length).toBeGreaterThan(0);
    expect([r.backend, r.totalEpochs, r.batchesPerEpoch, r.parameters]).not.toContain(undefined);
    expect(r.status).toBe('completed');
    expect(r.best).toBeDefined();
  });
});
