// A run the project records as running, but that no process is training (the studio or CLI was killed
// mid-run), is listed as stopped — resumable — not as running forever.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../../main/project/index.js';
import { TrainingService } from '../../../../main/training/service.js';
import { resourcesDir } from '../../../../main/host/appInfo.js';

describe('runs cut off by a killed process', () => {
  it('are listed as stopped', async () => {
    const store = new ProjectStore({
      dataDir: await mkdtemp(join(tmpdir(), 'rnn-stale-')),
      resourcesDir,
      autosaveMs: 0,
    });
    await store.init();
    const { projectId, doc } = await store.create('adding-problem');
    const cutOff = {
      id: 'run-a',
      name: 'a',
      startedAt: '2026-01-01T00:00:00Z',
      status: 'running',
      epochs: 3,
      best: {},
      final: {},
    };
    const done = { ...cutOff, id: 'run-b', status: 'completed' };
    store.update(projectId, { ...doc, runs: [cutOff, done] });
    const service = new TrainingService({ store });
    expect(service.listRuns(projectId).map((r) => [r.id, r.status])).toEqual([
      ['run-a', 'stopped'],
      ['run-b', 'completed'],
    ]);
    await store.dispose();
  });
});
