// A kill between the two saves that end an epoch (best.ckpt first, then latest.ckpt): resume finds the
// newest valid checkpoint (latest, else best), says which it used, and the resumed run trains on from it.
// The kill is placed exactly there: the engine process is killed when it asks the studio to write the
// epoch's latest checkpoint, after best was written. Toy workload: 6 batches an epoch, 3 epochs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../../core/telemetry/events.js';
import { decodeCheckpoint } from '../../../../core/training/checkpoint.js';
import { ProjectStore } from '../../../../main/project/index.js';
import { startRunProcess, type RunLauncher, type RunProcess } from '../../../../main/training/runProcess.js';
import { TrainingService } from '../../../../main/training/service.js';

const resourcesDir = fileURLToPath(new URL('../../../../resources', import.meta.url));
const toyWorkload = fileURLToPath(new URL('../../../fixtures/training/toyWorkload.ts', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rnn-resume-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts the real engine process, and kills it when it sends the latest checkpoint of `epoch`. */
const killBeforeLatest =
  (epoch: number): RunLauncher =>
  (spec, onMessage) => {
    const holder: { process?: RunProcess } = {};
    holder.process = startRunProcess(spec, (message) => {
      if (message.type === 'checkpoint' && message.reason === 'epoch' && message.epoch === epoch)
        return holder.process?.kill();
      onMessage(message);
    });
    return holder.process;
  };

async function killedBetweenSaves(name: string, epoch: number): Promise<{ path: string; runId: string }> {
  const store = new ProjectStore({ dataDir: join(dir, `data-${name}`), resourcesDir, autosaveMs: 0 });
  await store.init();
  const session = await store.create('adding-problem');
  const path = join(dir, `${name}.rnnproj`);
  await store.save(session.projectId, path);
  const service = new TrainingService({
    store,
    workloadModule: toyWorkload,
    workloadOptions: () => ({}),
    launch: killBeforeLatest(epoch),
  });
  const { runId } = await service.start(session.projectId, { backend: 'cpu' });
  const exit = await service.finished(runId);
  expect(exit?.signal).toBe('SIGKILL');
  return { path, runId };
}

async function resume(path: string) {
  const store = new ProjectStore({ dataDir: join(dir, 'data-resume'), resourcesDir, autosaveMs: 0 });
  await store.init();
  const session = await store.openFile(path);
  const service = new TrainingService({ store, workloadModule: toyWorkload, workloadOptions: () => ({}) });
  const events: TelemetryEvent[] = [];
  service.onEvent(({ event }) => events.push(event));
  const started = await service.start(session.projectId, { backend: 'cpu', resume: true });
  await service.finished(started.runId);
  return { store, projectId: session.projectId, started, events };
}

describe('resume after a kill between the best and latest saves', () => {
  it('killed in epoch 1 (only best.ckpt written): resumes from best and says so', async () => {
    const { path, runId } = await killedBetweenSaves('first-epoch', 1);
    const { started, events, store, projectId } = await resume(path);
    expect(started.runId).toBe(runId);
    expect(started.resumedFrom).toMatchObject({
      checkpoint: 'best',
      entry: `checkpoints/${runId}/best.ckpt`,
      epoch: 1,
      step: 6,
    });
    expect(events[0]).toMatchObject({ type: 'warning', code: 'resumed-from-best' });
    expect(events.find((e) => e.type === 'run-start')).toMatchObject({ resumedFrom: { epoch: 1, step: 6 } });
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'completed', epochs: 3, steps: 18 });
    // The run goes on writing both checkpoints again.
    expect(decodeCheckpoint(store.readEntry(projectId, `checkpoints/${runId}/latest.ckpt`)!).step).toBe(18);
  });

  it('killed in epoch 2 (latest is epoch 1, best is epoch 2): resumes from the newer best', async () => {
    const { path, runId } = await killedBetweenSaves('second-epoch', 2);
    const { started, events } = await resume(path);
    expect(started.resumedFrom).toMatchObject({
      checkpoint: 'best',
      epoch: 2,
      step: 12,
      note: 'the latest checkpoint is older (step 6)',
    });
    expect(events.find((e) => e.type === 'run-start')).toMatchObject({
      runId,
      resumedFrom: { epoch: 2, step: 12 },
    });
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'completed', epochs: 3 });
  });

  it(
    'a finished run resumes from latest (a tie keeps latest); ' + 'an unreadable latest falls back to best',
    async () => {
      const store = new ProjectStore({ dataDir: join(dir, 'data-tie'), resourcesDir, autosaveMs: 0 });
      await store.init();
      const { projectId } = await store.create('adding-problem');
      const service = new TrainingService({
        store,
        workloadModule: toyWorkload,
        workloadOptions: () => ({ epochs: 1 }),
      });
      const { runId } = await service.start(projectId, { backend: 'cpu' });
      await service.finished(runId);
      const { findResumePoint } = await import('../../../../main/training/resumePoint.js');
      const read = (name: string) => store.readEntry(projectId, name);
      expect(findResumePoint(store.doc(projectId), read)).toMatchObject({
        which: 'latest',
        epoch: 1,
        step: 6,
      });
      const latest = `checkpoints/${runId}/latest.ckpt`;
      store.writeEntries(projectId, { [latest]: read(latest)!.slice(0, 40) }); // cut short
      const point = findResumePoint(store.doc(projectId), read);
      expect(point).toMatchObject({ which: 'best', epoch: 1, step: 6 });
      expect(point?.skipped).toMatch(/latest checkpoint is unreadable \(Checkpoint is truncated/);
    },
  );
});
