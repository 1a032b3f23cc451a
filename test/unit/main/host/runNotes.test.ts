// runs.annotate through the host's dispatch over the real project store and training service: the note and
// tags land in the project's run history, survive save and reopen, are kept when a run still training
// writes its summary, and bad requests are refused naming the field.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostHandlers } from '../../../../core/api/contract.js';
import { dispatch } from '../../../../main/host/dispatch.js';
import { resourcesDir } from '../../../../main/host/appInfo.js';
import { projectHandlers } from '../../../../main/host/handlers/projectHandlers.js';
import { trainingHandlers } from '../../../../main/host/handlers/trainingHandlers.js';
import { ProjectStore } from '../../../../main/project/index.js';
import { RunRecord } from '../../../../main/training/runRecord.js';
import { TrainingService } from '../../../../main/training/service.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';

let store: ProjectStore;
let handlers: HostHandlers;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rnn-notes-'));
  store = new ProjectStore({ dataDir: join(dir, 'data'), resourcesDir, autosaveMs: 0 });
  await store.init();
  const training = new TrainingService({ store });
  handlers = { ...projectHandlers(store), ...trainingHandlers(training) } as HostHandlers;
});
afterAll(() => store.dispose());

const finished = {
  id: 'run-1',
  name: 'first',
  startedAt: '2026-01-01T00:00:00Z',
  status: 'completed' as const,
  epochs: 1,
};

async function projectWithRun(): Promise<string> {
  const { projectId, doc } = await handlers['project.create']({ templateId: 'adding-problem' });
  store.update(projectId, { ...doc, runs: [finished] });
  return projectId;
}

async function call(name: string, payload: unknown) {
  return dispatch(handlers, name, payload);
}

describe('runs.annotate', () => {
  it('stores a note and tags in the run history; they survive save and reopen', async () => {
    const projectId = await projectWithRun();
    const answer = await call('runs.annotate', {
      projectId,
      runId: 'run-1',
      note: 'Loss plateaus after epoch 3.',
      tags: ['baseline', ' adam '],
    });
    expect(answer).toMatchObject({
      ok: true,
      result: { id: 'run-1', note: 'Loss plateaus after epoch 3.', tags: ['baseline', 'adam'] },
    });
    const listed = await call('runs.list', { projectId });
    expect(listed.ok && (listed.result as { tags: string[] }[])[0]!.tags).toEqual(['baseline', 'adam']);
    expect(store.get(projectId).dirty).toBe(true);

    const file = join(dir, 'notes.rnnproj');
    await handlers['project.save']({ projectId, path: file });
    await store.close(projectId);
    const reopened = await handlers['project.open']({ path: file });
    expect(store.doc(reopened.projectId).runs[0]).toMatchObject({
      note: 'Loss plateaus after epoch 3.',
      tags: ['baseline', 'adam'],
    });
  });

  it('changes only what is sent: tags alone keep the note', async () => {
    const projectId = await projectWithRun();
    await call('runs.annotate', { projectId, runId: 'run-1', note: 'keep me' });
    const answer = await call('runs.annotate', { projectId, runId: 'run-1', tags: ['x'] });
    expect(answer).toMatchObject({ ok: true, result: { note: 'keep me', tags: ['x'] } });
  });

  it('a run still training keeps the note when it writes its summary again', async () => {
    const { projectId } = await handlers['project.create']({ templateId: 'adding-problem' });
    const record = new RunRecord(store, projectId, 'live', 'live run');
    const events = [...syntheticRun({ epochs: 2, batchesPerEpoch: 2, runId: 'live' })];
    record.onEvent(events[0]!); // run-start: the run is now listed
    const answer = await call('runs.annotate', {
      projectId,
      runId: 'live',
      note: 'watching',
      tags: ['live'],
    });
    expect(answer.ok).toBe(true);
    for (const e of events.slice(1)) record.onEvent(e); // …epochs and run-end rewrite the summary
    expect(store.doc(projectId).runs.find((r) => r.id === 'live')).toMatchObject({
      status: 'completed',
      note: 'watching',
      tags: ['live'],
    });
  });

  it('refuses a run the project does not have, and a tag too long, naming the field', async () => {
    const projectId = await projectWithRun();
    expect(await call('runs.annotate', { projectId, runId: 'ghost', note: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', where: 'runId' },
    });
    const long = await call('runs.annotate', { projectId, runId: 'run-1', tags: ['y'.repeat(41)] });
    expect(long).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(!long.ok && long.error.message).toMatch(/at most 40 characters/);
    expect(!long.ok && long.error.where).toMatch(/runs\.annotate: tags/);
    expect(store.doc(projectId).runs[0]!.tags).toEqual([]);
  });
});
