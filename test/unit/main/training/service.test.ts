// Runs in their own engine process (the toy workload): SIGKILL mid-epoch then resume ends within 1e-5
// of an uninterrupted run; a NaN stops the run with nothing non-finite in the project; stop saves a
// checkpoint; the run's history and summary live in the .rnnproj.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../../core/telemetry/events.js';
import { decodeCheckpoint } from '../../../../core/training/checkpoint.js';
import { ProjectStore } from '../../../../main/project/index.js';
import { TrainingService } from '../../../../main/training/service.js';

const resourcesDir = fileURLToPath(new URL('../../../../resources', import.meta.url));
const toyWorkload = fileURLToPath(new URL('../../../fixtures/training/toyWorkload.ts', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rnn-train-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function setup(name: string, workload: Record<string, unknown> = {}) {
  const store = new ProjectStore({ dataDir: join(dir, `data-${name}`), resourcesDir, autosaveMs: 0 });
  await store.init();
  const session = await store.create('adding-problem');
  await store.save(session.projectId, join(dir, `${name}.rnnproj`));
  const service = new TrainingService({
    store,
    workloadModule: toyWorkload,
    workloadOptions: () => workload,
  });
  const events: TelemetryEvent[] = [];
  service.onEvent(({ event }) => events.push(event));
  return { store, projectId: session.projectId, service, events };
}

function finalLoss(events: TelemetryEvent[]): number {
  const end = events.filter((e) => e.type === 'run-end').at(-1);
  if (end?.type !== 'run-end') throw new Error(`no run-end; events: ${events.map((e) => e.type).join(',')}`);
  return end.final.train?.loss ?? NaN;
}

describe('training runs in an engine process', () => {
  it('SIGKILL mid-epoch, then resume: ends within 1e-5 of an uninterrupted run', async () => {
    // The uninterrupted reference and the run to be killed train side by side.
    const full = await setup('full');
    const killed = await setup('killed');
    const { runId } = await full.service.start(full.projectId, { backend: 'cpu' });
    const first = await killed.service.start(killed.projectId, { backend: 'cpu' });
    killed.service.onEvent(({ event }) => {
      // Epoch 2, batch 3 of 6: the epoch-1 checkpoint is in the project, this epoch is not.
      if (event.type === 'batch' && event.epoch === 2 && event.batch === 3)
        (killed.service as unknown as { runs: Map<string, { process: { kill(): void } }> }).runs
          .get(first.runId)
          ?.process.kill();
    });
    const [, exit] = await Promise.all([full.service.finished(runId), killed.service.finished(first.runId)]);
    const reference = finalLoss(full.events);
    expect(Number.isFinite(reference)).toBe(true);
    expect(exit?.signal).toBe('SIGKILL');
    expect(killed.events.some((e) => e.type === 'error' && e.code === 'crash')).toBe(true);
    expect(killed.service.listRuns(killed.projectId)[0]?.status).toBe('failed');

    // A fresh studio reopens the saved project from disk and resumes.
    const reopened = new ProjectStore({ dataDir: join(dir, 'data-reopen'), resourcesDir, autosaveMs: 0 });
    await reopened.init();
    const session = await reopened.openFile(join(dir, 'killed.rnnproj'));
    const service = new TrainingService({
      store: reopened,
      workloadModule: toyWorkload,
      workloadOptions: () => ({}),
    });
    const events: TelemetryEvent[] = [];
    service.onEvent(({ event }) => events.push(event));
    const resumed = await service.start(session.projectId, { backend: 'cpu', resume: true });
    expect(resumed.runId).toBe(first.runId);
    await service.finished(resumed.runId);
    const start = events.find((e) => e.type === 'run-start');
    expect(start?.type === 'run-start' && start.resumedFrom).toEqual({ epoch: 1, step: 6 });
    expect(Math.abs(finalLoss(events) - reference)).toBeLessThan(1e-5);
    const summary = service.listRuns(session.projectId)[0];
    expect(summary?.status).toBe('completed');
    expect(summary?.epochs).toBe(3);
    // History holds both parts of the run.
    const history = service.history(session.projectId, first.runId);
    expect(history.filter((e) => e.type === 'run-start')).toHaveLength(2);
    expect(history.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.epoch : 0))).toEqual([
      1, 2, 3,
    ]);
  });

  it(
    'a NaN in the data stops the run within the batch; ' + 'no non-finite weight reaches the project',
    async () => {
      const { store, projectId, service, events } = await setup('nan', { nanAtBatch: 9 });
      const { runId } = await service.start(projectId, { backend: 'cpu' });
      await service.finished(runId);
      const error = events.find((e) => e.type === 'error');
      expect(error).toMatchObject({ code: 'non-finite', where: 'data', layer: 'lstm1' });
      expect(events.filter((e) => e.type === 'batch')).toHaveLength(8);
      expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'failed' });
      for (const name of store.listEntries(projectId, 'checkpoints/')) {
        const state = decodeCheckpoint(store.readEntry(projectId, name)!);
        for (const w of state.weights) expect(w.data.every(Number.isFinite)).toBe(true);
      }
    },
  );

  it('stop ends within a batch and saves a checkpoint; pause holds the run', async () => {
    const { store, projectId, service, events } = await setup('stop', { epochs: 50 });
    const { runId } = await service.start(projectId, { backend: 'cpu' });
    await new Promise<void>((resolve) => {
      const off = service.onEvent(({ event }) => {
        if (event.type === 'batch' && event.step === 4) {
          off();
          resolve();
        }
      });
    });
    const paused = new Promise<TelemetryEvent>((resolve) => {
      const off = service.onEvent(({ event }) => {
        if (event.type === 'paused') {
          off();
          resolve(event);
        }
      });
    });
    service.pause(runId);
    // The engine says `paused` after the last batch it finished, the one in flight included.
    const said = await paused;
    const pausedAt = events.filter((e) => e.type === 'batch').length;
    expect(said).toMatchObject({ type: 'paused', step: pausedAt });
    expect(events.at(-1)).toBe(said);
    // Absence needs a window to look over: nothing trains while paused.
    await new Promise((r) => setTimeout(r, 300));
    expect(events.filter((e) => e.type === 'batch').length).toBe(pausedAt);
    service.stop(runId);
    await service.finished(runId);
    expect(events.filter((e) => e.type === 'batch').length).toBe(pausedAt);
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'stopped' });
    const state = decodeCheckpoint(store.readEntry(projectId, `checkpoints/${runId}/latest.ckpt`)!);
    expect(state.step).toBe(pausedAt);
    expect(service.listRuns(projectId)[0]?.status).toBe('stopped');
  });
});
