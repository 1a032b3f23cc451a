// The project's record of a run follows its telemetry: the summary says how the run ended as soon as the
// run-end event is recorded, not only when the engine process has exited. (The Runs tab reads the list
// when it sees run-end; a summary written later made a stopped run read "running" until a manual refresh.)
import { describe, expect, it } from 'vitest';
import type { ProjectDoc } from '../../../../core/project/index.js';
import type { ProjectStore } from '../../../../main/project/index.js';
import { RunRecord } from '../../../../main/training/runRecord.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';

function fakeStore(): { store: ProjectStore; doc(): ProjectDoc } {
  let doc = { runs: [] } as unknown as ProjectDoc;
  const store = {
    doc: () => doc,
    update: (_id: string, next: ProjectDoc) => void (doc = next),
    writeEntries: () => {},
    get: () => ({ path: null }),
    save: async () => {},
  } as unknown as ProjectStore;
  return { store, doc: () => doc };
}

describe('RunRecord', () => {
  const events = [...syntheticRun({ epochs: 2, batchesPerEpoch: 3, runId: 'r1' })];
  const end = events.at(-1)!;
  if (end.type !== 'run-end') throw new Error('the synthetic run ends with run-end');

  it.each([
    ['stopped', 'stopped'],
    ['early-stopped', 'completed'],
    ['completed', 'completed'],
    ['failed', 'failed'],
  ] as const)('a run that ended %s is recorded as %s at its run-end event', (how, recorded) => {
    const { store, doc } = fakeStore();
    const record = new RunRecord(store, 'p', 'r1', 'first');
    for (const e of events.slice(0, -1)) record.onEvent(e);
    expect(doc().runs[0]).toMatchObject({ id: 'r1', status: 'running' });
    record.onEvent({ ...end, status: how });
    expect(doc().runs[0]).toMatchObject({ id: 'r1', status: recorded, epochs: end.epochs });
    expect(doc().runs[0]!.endedAt).toEqual(expect.any(String));
  });
});
