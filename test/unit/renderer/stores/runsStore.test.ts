// A past run is drawn from its history; one cut off mid-way (the process killed, perhaps while paused)
// has no run-end event, so the Training tab showing it says how the project recorded its end, never
// "Training" or "Paused" for a run nothing is training.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { RunSummarySchema, type RunSummary } from '../../../../core/project/schema.js';
import type { TelemetryEvent } from '../../../../core/telemetry/events.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';

const fake = vi.hoisted(() => ({
  summaries: [] as unknown[],
  history: [] as unknown[],
}));

vi.mock('../../../../renderer/src/host/index.js', () => ({
  host: {
    on: () => () => {},
    call: async (action: string, args: { from?: number; limit?: number }) => {
      if (action === 'runs.list') return fake.summaries;
      if (action === 'runs.history') {
        const from = args.from ?? 0;
        return fake.history.slice(from, from + (args.limit ?? 100_000));
      }
      throw new Error(`unexpected call ${action}`);
    },
  },
}));

const { useRunsStore } = await import('../../../../renderer/src/stores/runsStore.js');

const run = [...syntheticRun({ epochs: 1, batchesPerEpoch: 3, steps: 4, units: 2, runId: 'r1' })];
const cutOff = (extra: TelemetryEvent[] = []) => [...run.filter((e) => e.type !== 'run-end'), ...extra];
const summary = (status: RunSummary['status']): RunSummary =>
  RunSummarySchema.parse({ id: 'r1', name: 'first', startedAt: '2026-12-05T08:00:00Z', status, epochs: 1 });

async function pastRun(status: RunSummary['status'], history: TelemetryEvent[]) {
  fake.summaries = [summary(status)];
  fake.history = history;
  const runs = useRunsStore();
  await runs.refresh('p1');
  return (await runs.history('r1'))!;
}

describe('runs store: a past run says how it ended', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('a run killed while training is shown as the project lists it (stopped)', async () => {
    expect((await pastRun('stopped', cutOff())).status).toBe('stopped');
  });

  it('a run killed while paused is not shown as Paused', async () => {
    const paused: TelemetryEvent = { v: 1, time: run[0]!.time + 5, type: 'paused', epoch: 1, step: 3 };
    expect((await pastRun('stopped', cutOff([paused]))).status).toBe('stopped');
  });

  it('a run that ended keeps the status of its run-end; one still running elsewhere stays live', async () => {
    expect((await pastRun('completed', run)).status).toBe('completed');
    setActivePinia(createPinia());
    expect((await pastRun('running', cutOff())).status).toBe('running');
  });
});
