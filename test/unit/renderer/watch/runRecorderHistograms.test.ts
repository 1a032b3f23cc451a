// The recorder folds `histogram` events into per-epoch records the Histograms tab draws: weights by
// tensor with their layer, activations by layer, layers in model order, and a history read twice (or a
// live event that repeats a history line) never draws an epoch twice.
import { describe, expect, it } from 'vitest';
import type { HistogramEvent } from '../../../../core/telemetry/events.js';
import { parseTelemetryEvent } from '../../../../core/telemetry/events.js';
import { histogramOf } from '../../../../core/telemetry/histogram.js';
import { RunRecorder } from '../../../../renderer/src/watch/runRecorder.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';

function snapshot(epoch: number, spread: number): HistogramEvent {
  return {
    v: 1,
    time: epoch,
    type: 'histogram',
    epoch,
    step: epoch * 10,
    weights: [
      { layer: 'lstm', weight: 'lstm/kernel', histogram: histogramOf([-spread, 0, spread]) },
      { layer: 'lstm', weight: 'lstm/bias', histogram: histogramOf([0, 1]) },
      { layer: 'head', weight: 'head/kernel', histogram: histogramOf([spread]) },
    ],
    activations: [
      { layer: 'lstm', histogram: histogramOf([0.1, -0.2]) },
      { layer: 'pool', histogram: histogramOf([0.3]) },
    ],
  };
}

describe('RunRecorder histograms', () => {
  it('folds each snapshot by epoch: weights per tensor with its layer, activations per layer', () => {
    const r = new RunRecorder();
    const before = r.version;
    r.ingest(snapshot(1, 0.1));
    r.ingest(snapshot(2, 0.5));
    expect(r.version).toBe(before + 2);
    expect(r.histograms.map((h) => [h.epoch, h.step])).toEqual([
      [1, 10],
      [2, 20],
    ]);
    expect(r.histograms[1]!.weights.get('lstm/kernel')).toEqual({
      layer: 'lstm',
      histogram: histogramOf([-0.5, 0, 0.5]),
    });
    expect(r.histograms[0]!.activations.get('pool')!.count).toBe(1);
    expect(r.histogramLayers('weights')).toEqual(['lstm', 'head']);
    expect(r.histogramLayers('activations')).toEqual(['lstm', 'pool']);
    expect(r.histogramWeights('lstm')).toEqual(['lstm/kernel', 'lstm/bias']);
    expect(r.histogramWeights('pool')).toEqual([]);
  });

  it('an epoch seen again replaces its record; one arriving late takes its place in order', () => {
    const r = new RunRecorder();
    r.ingest(snapshot(1, 0.1));
    r.ingest(snapshot(3, 0.3));
    r.ingest(snapshot(3, 0.9));
    r.ingest(snapshot(2, 0.2));
    expect(r.histograms.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(r.histograms[2]!.weights.get('head/kernel')!.histogram.low).toBe(0.4); // 0.9, flat: 0.9 − 0.5
  });

  it('a run with histograms reads back from its history lines like a live one', () => {
    const events = [...syntheticRun({ epochs: 3, batchesPerEpoch: 2, histograms: true })];
    const live = new RunRecorder();
    const past = new RunRecorder();
    for (const e of events) live.ingest(e);
    for (const line of events.map((e) => JSON.stringify(e))) {
      const parsed = parseTelemetryEvent(JSON.parse(line));
      if (!parsed.ok) throw new Error(parsed.message);
      past.ingest(parsed.event);
    }
    expect(past.histograms).toEqual(live.histograms);
    expect(live.histograms.map((h) => h.epoch)).toEqual([1, 2, 3]);
  });
});
