// Both host clients (the Electron bridge and the web client) check answers and events with the contract's
// schemas: the same malformed answer fails in both with the call and the field named, and a malformed
// event is dropped, not handed to the UI. The payload schemas match the types main's code builds.
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { z } from 'zod';
import { HostAnswerError } from '../../../../core/api/answers.js';
import type { CallResponse, EventPayload } from '../../../../core/api/contract.js';
import type {
  DataImportResultSchema,
  DatasetStatsSchema,
  PreviewRowSchema,
} from '../../../../core/data/report.js';
import type { DatasetStats } from '../../../../core/data/stats.js';
import type { PreviewRow } from '../../../../core/data/scan.js';
import type { FitChange } from '../../../../core/graph/fit.js';
import type { ProjectDoc, RunSummary } from '../../../../core/project/schema.js';
import type { TelemetryEvent } from '../../../../core/telemetry/events.js';
import type { HistoryEntry } from '../../../../core/telemetry/history.js';
import { createElectronBridge } from '../../../../electron/preload/bridge.js';
import type { ImportResult } from '../../../../main/data/import.js';
import type { RowError } from '../../../../main/data/errors.js';
import type { GenerateResult, PredictResult } from '../../../../main/inference/results.js';
import { createWebClient } from '../../../../renderer/src/host/webClient.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';

const summary: RunSummary = {
  id: 'run-1',
  name: 'first',
  startedAt: '2026-12-05T00:00:00.000Z',
  status: 'completed',
  epochs: 2,
  best: { 'validation.loss': 0.3 },
  note: '',
  tags: [],
  final: { 'train.loss': 0.2 },
};

function bridgeAnswering(result: unknown) {
  const invoke = vi.fn().mockResolvedValue({ ok: true, result });
  return createElectronBridge({ invoke, on: vi.fn(), removeListener: vi.fn() } as never);
}

function webClientAnswering(result: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify({ ok: true, result }))),
  );
  return createWebClient('http://127.0.0.1:52080', 'tok');
}

describe.each([
  ['Electron bridge', bridgeAnswering],
  ['web client', webClientAnswering],
])('%s', (_name, answering) => {
  it('passes a well-formed answer through, typed', async () => {
    const runs = await answering([summary]).call('runs.list', { projectId: 'p' });
    expectTypeOf(runs).toEqualTypeOf<RunSummary[]>();
    expect(runs).toEqual([summary]);
    vi.unstubAllGlobals();
  });

  it('refuses a malformed answer, naming the call and the field', async () => {
    const bad = answering([{ ...summary, status: 'finished' }]);
    const call = bad.call('runs.list', { projectId: 'p' });
    await expect(call).rejects.toBeInstanceOf(HostAnswerError);
    await expect(bad.call('runs.list', { projectId: 'p' })).rejects.toThrow(
      /answer to runs\.list .*\(0\.status:/,
    );
    vi.unstubAllGlobals();
  });
});

describe('events', () => {
  it('the Electron bridge hands on a checked telemetry event and drops a malformed one', () => {
    let deliver: (event: unknown, name: unknown, payload: unknown) => void = () => {};
    const on = vi.fn((_channel: string, f: typeof deliver) => (deliver = f));
    const bridge = createElectronBridge({ invoke: vi.fn(), on, removeListener: vi.fn() } as never);
    const seen: EventPayload<'training.event'>[] = [];
    bridge.on('training.event', (payload) => seen.push(payload));
    const event = [...syntheticRun({ epochs: 1, batchesPerEpoch: 1 })][1]!;
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    deliver({}, 'training.event', { runId: 'r', projectId: 'p', event });
    deliver({}, 'training.event', { runId: 'r', projectId: 'p', event: { ...event, step: 'two' } });
    expect(seen).toEqual([{ runId: 'r', projectId: 'p', event }]);
    expect(error).toHaveBeenCalledWith(expect.any(HostAnswerError));
    error.mockRestore();
  });
});

describe('payload types', () => {
  it('are the types main builds and the UI reads', () => {
    expectTypeOf<EventPayload<'training.event'>['event']>().toEqualTypeOf<TelemetryEvent>();
    expectTypeOf<CallResponse<'runs.history'>>().toEqualTypeOf<HistoryEntry[]>();
    expectTypeOf<CallResponse<'runs.list'>>().toEqualTypeOf<RunSummary[]>();
    expectTypeOf<CallResponse<'project.get'>['doc']>().toEqualTypeOf<ProjectDoc>();
    expectTypeOf<CallResponse<'playground.predict'>>().toEqualTypeOf<PredictResult>();
    expectTypeOf<CallResponse<'playground.generate'>>().toEqualTypeOf<GenerateResult>();
    expectTypeOf<z.infer<typeof DatasetStatsSchema>>().toEqualTypeOf<DatasetStats>();
    expectTypeOf<z.infer<typeof PreviewRowSchema>>().toEqualTypeOf<PreviewRow>();
    expectTypeOf<z.infer<typeof DataImportResultSchema>['errors'][number]>().toEqualTypeOf<RowError>();
    expectTypeOf<z.infer<typeof DataImportResultSchema>['fitted'][number]>().toEqualTypeOf<FitChange>();
    expectTypeOf<z.infer<typeof DataImportResultSchema>['stats']>().toEqualTypeOf<ImportResult['stats']>();
  });
});
