import { describe, expect, it } from 'vitest';
import { RunRecorder } from '../../../../renderer/src/watch/runRecorder.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';
import {
  bestFromRecorder,
  diffSettings,
  differingSettings,
  flattenSettings,
  rowStatus,
  runRow,
  runsWithTags,
} from '../../../../renderer/src/watch/runsTable.js';

describe('runs table', () => {
  it('flattens settings to dotted keys', () => {
    expect(
      flattenSettings({ epochs: 3, optimizer: { kind: 'adam', learningRate: 0.01 }, layers: [1, 2] }),
    ).toEqual({
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

  it('makes a row of the run summary the project records (the type main writes)', () => {
    const row = runRow({
      id: 'r2',
      name: 'lr 0.01',
      startedAt: '2026-01-02T03:04:05Z',
      status: 'completed',
      epochs: 3,
      training: { optimizer: { learningRate: 0.01 } },
      final: { 'train.loss': 0.4, 'validation.loss': 0.6 },
      best: { 'validation.loss': 0.5 },
      note: 'higher rate',
      tags: ['sweep'],
    });
    expect(row).toEqual({
      runId: 'r2',
      name: 'lr 0.01',
      startedAt: Date.parse('2026-01-02T03:04:05Z'),
      status: 'completed',
      settings: { 'optimizer.learningRate': '0.01' },
      best: { 'train loss': 0.4, 'validation loss': 0.5 },
      note: 'higher rate',
      tags: ['sweep'],
    });
    const unnamed = runRow({
      id: 'r3',
      name: '',
      startedAt: 'not a date',
      status: 'running',
      epochs: 0,
      best: {},
      final: {},
      note: '',
      tags: [],
    });
    expect(unnamed).toMatchObject({ name: 'r3', startedAt: undefined });
  });

  it('the live run shows the status its telemetry says at once; other runs what was recorded', () => {
    // The project recorded the run as running when the table was read; then the user pressed Stop and the
    // run-end arrived: the row says stopped without waiting for the list to be read again.
    const row = { runId: 'r1', status: 'running' as const };
    expect(rowStatus(row, 'r1', 'stopped')).toBe('stopped');
    expect(rowStatus(row, 'r1', 'paused')).toBe('paused');
    expect(rowStatus(row, 'other', 'stopped')).toBe('running');
    expect(rowStatus(row, 'r1', 'idle')).toBe('running');
  });

  it('filters runs by tags: a run must carry every chosen tag, whatever its case', () => {
    const rows = [
      { id: 'a', tags: ['baseline', 'GRU'] },
      { id: 'b', tags: ['gru'] },
      { id: 'c', tags: [] },
    ];
    expect(runsWithTags(rows, []).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(runsWithTags(rows, ['gru']).map((r) => r.id)).toEqual(['a', 'b']);
    expect(runsWithTags(rows, ['GRU', 'Baseline']).map((r) => r.id)).toEqual(['a']);
    expect(runsWithTags(rows, ['lstm'])).toEqual([]);
  });
});
