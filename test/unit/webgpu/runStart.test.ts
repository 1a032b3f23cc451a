// A run on webgpu names its adapter in the run-start event's backend line (which the CLI prints, NDJSON
// carries and the studio's backend chip shows). Tiny toy LSTM (B4, H4, T4), one epoch: SwiftShader is slow.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunControl } from '../../../core/training/control.js';
import type { TelemetryEvent } from '../../../core/telemetry/events.js';
import { runSpec } from '../../../main/training/runner.js';
import { gpu } from './gpuSetup.js';

const toy = fileURLToPath(new URL('../../fixtures/training/toyWorkload.ts', import.meta.url));

describe('a run on webgpu', () => {
  it.skipIf(!gpu.ready)(`says which adapter it trains on ${gpu.reason}`, async () => {
    const events: TelemetryEvent[] = [];
    const port = {
      postMessage: (m: { type: string; event?: TelemetryEvent; id?: number }) => {
        if (m.type === 'event' && m.event) events.push(m.event);
        if (m.type === 'checkpoint') acks.get(m.id!)?.({ location: 'mem' });
      },
      onMessage: () => {},
    };
    const acks = new Map<number, (r: { location?: string }) => void>();
    const options = { epochs: 1, size: 8, steps: 4, units: 4, batchSize: 4 };
    await runSpec(
      { runId: 'g1', backend: 'webgpu', workload: { module: toy, options } },
      port as never,
      new RunControl(),
      acks as never,
    );
    const start = events.find((e) => e.type === 'run-start');
    expect(start?.type === 'run-start' && start.backend).toBe(`webgpu (${gpu.adapter})`);
    const end = events.find((e) => e.type === 'run-end');
    expect(end?.type).toBe('run-end');
  });
});
