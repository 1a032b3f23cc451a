// Opening another project in place of the open one: the replaced project is closed at the host once the
// new one is open (so its autosave is not offered back after a restart), a failed open keeps it, a close
// the host refuses is said; and a project whose run is training is not left at all.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { TelemetryEvent } from '../../../../core/telemetry/events.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';

type Listener = (payload: { projectId: string; runId: string; event: TelemetryEvent }) => void;
const fake = vi.hoisted(() => ({
  listeners: [] as Listener[],
  calls: [] as { action: string; request: Record<string, unknown> }[],
  next: 0,
  /** How project.close answers: null for ok, else the host's error. */
  closeError: null as { code: string; message: string } | null,
}));

function session(projectId: string, name: string) {
  const doc = { name, task: 'classification', graph: { nodes: [], edges: [] }, runs: [] };
  return { projectId, path: null, name, doc, dirty: true, diagnostics: [] };
}

vi.mock('../../../../renderer/src/host/index.js', () => ({
  host: {
    kind: 'web',
    on: (_channel: string, listener: Listener) => {
      fake.listeners.push(listener);
      return () => {};
    },
    call: async (action: string, request: Record<string, unknown>) => {
      fake.calls.push({ action, request });
      if (action === 'project.create') {
        fake.next += 1;
        return session(`p${fake.next}`, `Project ${fake.next}`);
      }
      if (action === 'project.open' && request.path === '/nowhere.rnnproj')
        throw Object.assign(new Error('No such file.'), { error: { code: 'not-found' } });
      if (action === 'project.open') {
        fake.next += 1;
        return { ...session(`p${fake.next}`, 'Saved project'), path: request.path, dirty: false };
      }
      if (action === 'project.close' && fake.closeError)
        throw Object.assign(new Error(fake.closeError.message), { error: fake.closeError });
      if (action === 'training.start') return { runId: 'r1' };
      return { ok: true };
    },
  },
}));

const { useProjectStore } = await import('../../../../renderer/src/stores/projectStore.js');
const { useTrainingStore } = await import('../../../../renderer/src/stores/trainingStore.js');
const { useUiStore } = await import('../../../../renderer/src/stores/uiStore.js');
const { confirmLeavingUnsaved } = await import('../../../../renderer/src/components/leaveUnsaved.js');

const confirm = vi.fn(() => true);
const actions = () => fake.calls.map((c) => c.action);

describe('replacing the open project', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    fake.listeners.length = 0;
    fake.calls.length = 0;
    fake.next = 0;
    fake.closeError = null;
    confirm.mockClear();
    const stored = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => void stored.set(k, v),
      removeItem: (k: string) => void stored.delete(k),
    });
    vi.stubGlobal('window', { confirm });
  });

  it('closes the replaced project at the host after the new one is open', async () => {
    const project = useProjectStore();
    expect(await project.create('sentiment')).toBe(true);
    expect(actions()).toEqual(['project.create']); // nothing was open before: nothing to close
    expect(await project.create('tagger')).toBe(true);
    expect(project.projectId).toBe('p2');
    expect(fake.calls.slice(1)).toEqual([
      { action: 'project.create', request: { templateId: 'tagger' } },
      { action: 'project.close', request: { projectId: 'p1' } },
    ]);
  });

  it('keeps the open project when the other one cannot be opened', async () => {
    const project = useProjectStore();
    await project.create('sentiment');
    expect(await project.open('/nowhere.rnnproj')).toBe(false);
    expect(project.projectId).toBe('p1');
    expect(actions()).not.toContain('project.close');
  });

  it('says so when the host refuses to close the replaced project, and keeps the new one', async () => {
    const project = useProjectStore();
    await project.create('sentiment');
    fake.closeError = { code: 'invalid-input', message: '"Project 1" is still training (run r1).' };
    expect(await project.create('tagger')).toBe(true);
    expect(project.projectId).toBe('p2');
    expect(useUiStore().notices.map((n) => [n.kind, n.text])).toEqual([
      ['error', '“Project 1” stays open at the studio host: "Project 1" is still training (run r1).'],
    ]);
  });

  it('an already closed project (not-found) is not reported', async () => {
    const project = useProjectStore();
    await project.create('sentiment');
    fake.closeError = { code: 'not-found', message: 'No open project "p1".' };
    expect(await project.create('tagger')).toBe(true);
    expect(useUiStore().notices).toEqual([]);
  });

  it('is refused while a run trains on the open project, without asking; asked once it ended', async () => {
    const project = useProjectStore();
    const training = useTrainingStore();
    await project.create('sentiment');
    project.edit((doc) => void (doc.task = 'tagging'));
    const events = [...syntheticRun({ epochs: 1, batchesPerEpoch: 2, steps: 3, units: 2, runId: 'r1' })];
    expect(await training.start('p1')).toBe(true);
    const deliver = (event: TelemetryEvent) =>
      fake.listeners.forEach((l) => l({ projectId: 'p1', runId: 'r1', event }));
    for (const event of events.filter((e) => e.type !== 'run-end')) deliver(event);
    await vi.waitFor(() => expect(training.training).toBe(true));

    const refused: string[] = [];
    expect(confirmLeavingUnsaved((reason) => refused.push(reason))).toBe(false);
    expect(refused).toEqual([
      '“Project 1” is still training. ' +
        'Stop the run first, then save the project to keep the run, or leave it.',
    ]);
    expect(confirm).not.toHaveBeenCalled();

    deliver(events.find((e) => e.type === 'run-end')!);
    await vi.waitFor(() => expect(training.training).toBe(false));
    expect(confirmLeavingUnsaved((reason) => refused.push(reason))).toBe(true);
    expect(confirm).toHaveBeenCalledTimes(1); // the edited, unsaved project: "Leave anyway?"
    expect(refused).toHaveLength(1);
  });

  it('a run makes the project unsaved work: leaving a trained template or saved file asks', async () => {
    const project = useProjectStore();
    const training = useTrainingStore();
    const run = [...syntheticRun({ epochs: 1, batchesPerEpoch: 2, steps: 3, units: 2, runId: 'r1' })];
    const trainToEnd = async (projectId: string) => {
      expect(await training.start(projectId)).toBe(true);
      for (const event of run) fake.listeners.forEach((l) => l({ projectId, runId: 'r1', event }));
      await vi.waitFor(() => expect(training.status).toBe('completed'));
    };
    const refused = (reason: string) => expect.fail(`refused: ${reason}`);

    await project.create('sentiment');
    expect(confirmLeavingUnsaved(refused)).toBe(true); // an untouched template: replaced without a question
    expect(confirm).not.toHaveBeenCalled();
    await trainToEnd('p1');
    expect(confirmLeavingUnsaved(refused)).toBe(true);
    expect(confirm).toHaveBeenCalledTimes(1);

    await project.open('/work/saved.rnnproj');
    expect(project.dirty).toBe(false);
    expect(confirmLeavingUnsaved(refused)).toBe(true); // saved and unchanged
    expect(confirm).toHaveBeenCalledTimes(1);
    await trainToEnd('p2');
    expect(project.dirty).toBe(true); // the run's history and checkpoints are in the host's copy, unsaved
    confirm.mockReturnValueOnce(false); // "Stay": nothing is replaced
    expect(confirmLeavingUnsaved(refused)).toBe(false);
    expect(confirm).toHaveBeenCalledTimes(2);
  });
});
