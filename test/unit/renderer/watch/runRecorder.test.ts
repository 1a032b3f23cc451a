import { describe, expect, it } from 'vitest';
import { parseTelemetryEvent } from '../../../../core/telemetry/events.js';
import { RunRecorder } from '../../../../renderer/src/watch/runRecorder.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';

describe('RunRecorder', () => {
  const events = [...syntheticRun({ epochs: 3, batchesPerEpoch: 10, steps: 6, units: 4 })];

  it('the synthetic run used by the dashboards and the perf test is valid telemetry', () => {
    for (const e of events) expect(parseTelemetryEvent(e)).toMatchObject({ ok: true });
  });

  it('folds a run into series, probes, checkpoints and the final summary', () => {
    const r = new RunRecorder();
    for (const e of events) r.ingest(e);
    expect(r.status).toBe('completed');
    expect(r.backend).toBe('wasm');
    expect(r.workers).toBe(2);
    expect(r.loss.length).toBe(30);
    expect(Array.from(r.loss.x.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(r.validationLoss.length).toBe(3);
    expect(Array.from(r.validationLoss.x.subarray(0, 3))).toEqual([10, 20, 30]);
    expect([...r.epochMetrics.keys()].sort()).toEqual(['train accuracy', 'validation accuracy']);
    expect(r.layerNames()).toEqual(['embedding', 'lstm', 'head']);
    expect([...r.gateNorms.get('lstm')!.keys()]).toEqual(['input', 'forget', 'cell', 'output']);
    expect(r.probes).toHaveLength(3);
    expect(r.latestProbe()!.tokens).toHaveLength(6);
    expect(r.latestProbe()!.gradNormPerStep.lstm).toHaveLength(6);
    expect(r.latestProbe()!.gates.lstm!.forget).toHaveLength(4); // units x time
    expect(r.latestProbe()!.attention.attention).toHaveLength(3);
    expect(r.checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3]);
    expect(r.finalMetrics['validation accuracy']).toBe(0.9);
    expect(r.best?.metric).toBe('validation.loss');
  });

  it('marks clipped batches with the norm before clipping', () => {
    const r = new RunRecorder();
    r.ingest({
      v: 1,
      type: 'batch',
      time: 1,
      epoch: 1,
      batch: 1,
      batchesPerEpoch: 2,
      step: 1,
      loss: 1,
      metrics: {},
      learningRate: 0.1,
      tokensPerSecond: 10,
      gradNorm: 12,
      gradNormPerLayer: {},
      gradNormPerGate: {},
      clipped: true,
    });
    r.ingest({
      v: 1,
      type: 'batch',
      time: 2,
      epoch: 1,
      batch: 2,
      batchesPerEpoch: 2,
      step: 2,
      loss: null,
      metrics: { accuracy: null },
      learningRate: 0.1,
      tokensPerSecond: 10,
      gradNorm: 1,
      gradNormPerLayer: {},
      gradNormPerGate: {},
      clipped: false,
    });
    expect(Array.from(r.clipped.x.subarray(0, r.clipped.length))).toEqual([1]);
    expect(r.clipped.y[0]).toBe(12);
    expect(r.loss.length).toBe(1); // a null (non-finite) loss is not drawn
  });

  it('estimates the time left from the pace so far', () => {
    const r = new RunRecorder();
    const run = syntheticRun({ epochs: 2, batchesPerEpoch: 10, batchMs: 100 });
    for (let i = 0; i < 6; i++) r.ingest(run.next().value); // run-start + 5 batches
    expect(r.etaSeconds()).toBeCloseTo(1.5, 5); // 5 done in 0.5 s, 15 left
  });

  it('records errors with the layer where a NaN appeared, and skips unreadable history lines', () => {
    const r = new RunRecorder();
    r.ingest({ type: 'unreadable', line: 3, message: 'not JSON' });
    expect(r.version).toBe(0);
    r.ingest({
      v: 1,
      type: 'error',
      time: 1,
      code: 'non-finite',
      message: 'NaN in the gradient',
      layer: 'lstm',
      weight: 'lstm/kernel',
    });
    expect(r.status).toBe('failed');
    expect(r.notices[0]).toMatchObject({ kind: 'error', where: 'lstm/kernel' });
  });

  it('an early-stopped run is completed, as the project records it', () => {
    const r = new RunRecorder();
    const end = events.at(-1)!;
    if (end.type !== 'run-end') throw new Error('the synthetic run ends with run-end');
    r.ingest({ ...end, status: 'early-stopped' });
    expect(r.status).toBe('completed');
    expect(r.endReason).toBe('early-stopped');
  });

  it('reads one worker from a run-start that predates data-parallel workers', () => {
    const r = new RunRecorder();
    const start = events[0]!;
    if (start.type !== 'run-start') throw new Error('the synthetic run starts with run-start');
    const { workers: _workers, ...older } = start;
    r.ingest(older);
    expect(r.backend).toBe('wasm');
    expect(r.workers).toBe(1);
  });

  it('shows a divergence warning as a notice at the step it happened', () => {
    const r = new RunRecorder();
    const run = syntheticRun({ epochs: 1, batchesPerEpoch: 10, batchMs: 100 });
    for (let i = 0; i < 6; i++) r.ingest(run.next().value);
    r.ingest({
      v: 1,
      type: 'warning',
      time: 1,
      code: 'loss-exploding',
      step: 3,
      value: 900,
      growth: 450,
      message: 'The loss is exploding: 900 at step 3',
    });
    expect(r.notices).toEqual([
      { kind: 'warning', message: 'The loss is exploding: 900 at step 3', step: 3 },
    ]);
    expect(r.status).not.toBe('failed');
  });
});
