import { describe, expect, it } from 'vitest';
import { RunRecorder } from '../../../../../renderer/src/views/training/runRecorder.js';
import { syntheticRun } from '../../../../fixtures/training/syntheticRun.js';
import { bestFromRecorder, diffSettings, differingSettings, flattenSettings, readRunSummary } from '../../../../../renderer/src/views/runs/runsTable.js';

describe('runs table', () => {
  it('flattens settings to dotted keys', () => {
    expect(flattenSettings({ epochs: 3, optimizer: { kind: 'adam', learningRate: 0.01 }, layers: [1, 2] })).toEqual({
      epochs: '3',
      'optimizer.kind': 'adam',
      'optimizer.learningRate': '0.01',
      layers: '[1,2]',
    });
  });

  it('lists only the settings that differ, and diffs two runs', () => {
    const a = { settings: flattenSettings({ epochs: 3, optimizer: { learningRate: 0.01 } }) };
    const b = { settings: flattenSettings({ epochs: 3, optimizer: { learningRate: 0.003 }, seed: 1 }) };
    expect(differingSettings([a, b])).toEqual(['optimizer.learningRate', 'seed']);
    expect(differingSettings([a])).toEqual([]);
    expect(diffSettings(a.settings, b.settings)).toEqual([
      { key: 'optimizer.learningRate', before: '0.01', after: '0.003' },
      { key: 'seed', before: '—', after: '1' },
    ]);
  });

  it('takes the lowest loss and the highest accuracy as best', () => {
    const r = new RunRecorder();
    for (const e of syntheticRun({ epochs: 4, batchesPerEpoch: 5 })) r.ingest(e);
    const best = bestFromRecorder(r);
    expect(best['validation loss']).toBe(r.validationLoss.min());
    expect(best['validation accuracy']).toBe(r.epochMetrics.get('validation accuracy')!.max());
    expect(best['validation loss']).toBe(r.validationLoss.y[3]); // the synthetic loss falls every epoch
  });

  it('reads run summaries defensively', () => {
    expect(readRunSummary({ nope: 1 })).toBeNull();
    expect(readRunSummary('x')).toBeNull();
    const s = readRunSummary({ runId: 'r1', startedAt: '2026-01-02T03:04:05Z', status: 'completed', config: { epochs: 2 }, final: { validation: { loss: 0.5, metrics: { accuracy: 0.8 } } } });
    expect(s).toMatchObject({ runId: 'r1', name: 'r1', status: 'completed', settings: { epochs: '2' }, best: { 'validation loss': 0.5, 'validation accuracy': 0.8 } });
    expect(s!.startedAt).toBe(Date.parse('2026-01-02T03:04:05Z'));
    // The project's own run summary (core/project RunSummarySchema): flat "split.metric" records.
    const project = readRunSummary({ id: 'r2', name: 'lr 0.01', startedAt: '2026-01-02T03:04:05Z', status: 'completed', epochs: 3, training: { optimizer: { learningRate: 0.01 } }, final: { 'train.loss': 0.4, 'validation.loss': 0.6 }, best: { 'validation.loss': 0.5 } });
    expect(project).toMatchObject({ runId: 'r2', name: 'lr 0.01', settings: { 'optimizer.learningRate': '0.01' }, best: { 'train loss': 0.4, 'validation loss': 0.5 } });
  });
});
