// The training store's status follows the run, not the buttons: Pause shows Pausing… until the engine's
// `paused` event (sent after the last batch it finished), and a run that ends while a Pause or Resume
// call is on its way stays ended (the run-end event wins over the call's answer).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { TelemetryEvent } from '../../../../core/telemetry/events.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';

type Listener = (payload: { projectId: string; runId: string; event: TelemetryEvent }) => void;
const fake = vi.hoisted(() => ({
  listeners: [] as Listener[],
  calls: [] as string[],
  /** Runs while a control call is in flight: lets a test deliver events before the call answers. */
  duringCall: (() => {}) as (action: string) => void,
}));

vi.mock('../../../../renderer/src/host/index.js', () => ({
  host: {
    on: (_channel: string, listener: Listener) => {
      fake.listeners.push(listener);
      return () => {};
    },
    call: async (action: string) => {
      fake.calls.push(action);
      if (action === 'training.start') return { runId: 'r1' };
      fake.duringCall(action);
      return { ok: true };
    },
  },
}));

const { useTrainingStore } = await import('../../../../renderer/src/stores/trainingStore.js');

const events = [...syntheticRun({ epochs: 1, batchesPerEpoch: 3, steps: 4, units: 2, runId: 'r1' })];
const runEnd = events.find((e) => e.type === 'run-end')!;
const beforeEnd = events.filter((e) => e.type !== 'run-end');

function deliver(event: TelemetryEvent): void {
  for (const listener of fake.listeners) listener({ projectId: 'p1', runId: 'r1', event });
}

async function startedRun() {
  const training = useTrainingStore();
  expect(await training.start('p1', { epochs: 1 })).toBe(true);
  for (const event of beforeEnd) deliver(event);
  expect(training.recorder.status).toBe('running');
  // The title bar's badge reads the live run's backend from here.
  const runStart = events.find((e) => e.type === 'run-start')!;
  await vi.waitFor(() => expect(training.liveBackend).toBe(runStart.backend));
  return training;
}

describe('training store: pause and resume against a run that ends', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    fake.listeners.length = 0;
    fake.calls.length = 0;
    fake.duringCall = () => {};
  });

  it('pause is Pausing… until the engine says paused; resume is Training once it says resumed', async () => {
    const training = await startedRun();
    const last = beforeEnd.filter((e) => e.type === 'batch').at(-1)!;
    await training.pause();
    expect(training.recorder.status).toBe('pausing');
    expect(training.canResume).toBe(false);
    expect(training.canPause).toBe(false);
    expect(training.canStop).toBe(true);
    expect(training.canStart).toBe(false);
    // The batch in flight when Pause was asked still finishes and is counted: still Pausing….
    deliver({ ...last });
    expect(training.recorder.status).toBe('pausing');
    deliver({ v: 1, time: last.time + 1, type: 'paused', epoch: 1, step: 3 });
    expect(training.recorder.status).toBe('paused');
    // The buttons follow the recorder at the next frame the store publishes.
    await vi.waitFor(() => expect(training.canResume).toBe(true));
    await training.resume();
    deliver({ v: 1, time: last.time + 2, type: 'resumed', epoch: 1, step: 3 });
    expect(training.recorder.status).toBe('running');
    await vi.waitFor(() => expect(training.canPause).toBe(true));
    expect(fake.calls).toEqual(['training.start', 'training.pause', 'training.resume']);
  });

  it('a run that ends while Pause is on its way is shown as ended, not paused', async () => {
    const training = await startedRun();
    fake.duringCall = (action) => {
      if (action === 'training.pause') deliver(runEnd);
    };
    await training.pause();
    expect(training.recorder.status).toBe('completed');
    expect(training.canResume).toBe(false);
    expect(training.canStart).toBe(true);
  });

  it('a run that ends while Resume is on its way is shown as ended', async () => {
    const training = await startedRun();
    await training.pause();
    deliver({ v: 1, time: runEnd.time, type: 'paused', epoch: 1, step: 3 });
    await vi.waitFor(() => expect(training.canResume).toBe(true));
    fake.duringCall = (action) => {
      if (action === 'training.resume') deliver(runEnd);
    };
    await training.resume();
    expect(training.recorder.status).toBe('completed');
  });
});
