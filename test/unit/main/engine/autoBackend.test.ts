// `auto` times the rungs: with rungs and timings of the test's own, which rung it keeps and what its
// backend line and note say (the fastest; a rung that cannot start or fails while timed skipped with the
// reason; one rung alone not timed; cpu only as the fallback). Then with the real wasm and cpu rungs and
// the real engine's model: a line in the same form, that rung left as tfjs's backend, the initial weights
// back in place and tf.memory() as before. No test here asserts which rung is faster.
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { RunControl } from '../../../../core/training/control.js';
import { TrainingConfigSchema } from '../../../../core/training/config.js';
import type { TelemetryEvent } from '../../../../core/telemetry/events.js';
import { BACKENDS } from '../../../../core/api/backends.js';
import {
  chooseFastestRung,
  ladderRungs,
  type Rung,
  trainingTrial,
} from '../../../../main/engine/autoBackend.js';
import {
  type BackendName,
  type BackendReport,
  selectBackend,
  startRung,
} from '../../../../main/engine/backend.js';
import { runSpec } from '../../../../main/training/runner.js';
import { createWorkload } from '../../../fixtures/training/engineWorkload.js';

const engineWorkload = fileURLToPath(
  new URL('../../../fixtures/training/engineWorkload.ts', import.meta.url),
);

/** A rung that only records that it was started; `adapter` as a webgpu rung reports one. */
function fakeRung(
  name: BackendName,
  started: string[],
  options: { fails?: string; adapter?: string } = {},
): Rung {
  return {
    name,
    ...(name === 'cpu' ? { fallbackOnly: true } : {}),
    start: async (): Promise<BackendReport> => {
      if (options.fails) throw new Error(options.fails);
      started.push(name);
      const { adapter } = options;
      return {
        name,
        tfjsBackend: name,
        fallbacks: [],
        description: `${name} for the test`,
        label: adapter ? `${name} (${adapter})` : name,
        ...(adapter ? { adapter } : {}),
      };
    },
  };
}

/** A trial that answers each rung's milliseconds per step, or throws for a rung named in `fails`. */
function trialOf(
  msPerStep: Partial<Record<BackendName, number>>,
  fails: Partial<Record<BackendName, string>> = {},
) {
  const timed: string[] = [];
  const trial = async (rung: BackendReport) => {
    timed.push(rung.name);
    if (fails[rung.name]) throw new Error(fails[rung.name]);
    return msPerStep[rung.name]!;
  };
  return { trial, timed };
}

describe('auto chooses by timing', () => {
  it('keeps the fastest rung, says what it measured, and leaves that rung started last', async () => {
    const started: string[] = [];
    const { trial, timed } = trialOf({ webgpu: 880, wasm: 41.2 });
    const rungs = [fakeRung('webgpu', started, { adapter: 'acme gpu, vulkan' }), fakeRung('wasm', started)];
    const chosen = await chooseFastestRung([...rungs, fakeRung('cpu', started)], trial);
    expect(chosen.name).toBe('wasm');
    expect(chosen.label).toBe('wasm (auto: wasm 41 ms/step; webgpu 880 ms/step)');
    expect(timed).toEqual(['webgpu', 'wasm']);
    expect(started.at(-1)).toBe('wasm');
    expect(started).not.toContain('cpu');
    expect(chosen.fallbacks.at(-1)).toMatch(
      /timed two training steps .* kept the fastest .*wasm 41 ms\/step/,
    );
  });

  it('names the adapter when the GPU wins, and shows small times to a tenth', async () => {
    const started: string[] = [];
    const { trial } = trialOf({ webgpu: 3.25, wasm: 41 });
    const rungs = [fakeRung('webgpu', started, { adapter: 'acme gpu, vulkan' }), fakeRung('wasm', started)];
    const chosen = await chooseFastestRung(rungs, trial);
    expect(chosen.label).toBe('webgpu (acme gpu, vulkan; auto: webgpu 3.3 ms/step; wasm 41 ms/step)');
    expect(chosen.adapter).toBe('acme gpu, vulkan');
    expect(started.at(-1)).toBe('webgpu');
  });

  it('skips a rung that fails while timed, and says why', async () => {
    const started: string[] = [];
    const { trial } = trialOf({ wasm: 41, tensorflow: 20 }, { webgpu: 'device lost: out of memory' });
    const rungs = [fakeRung('webgpu', started), fakeRung('tensorflow', started), fakeRung('wasm', started)];
    const chosen = await chooseFastestRung(rungs, trial);
    expect(chosen.name).toBe('tensorflow');
    expect(chosen.label).toBe(
      'tensorflow (auto: tensorflow 20 ms/step; wasm 41 ms/step; webgpu failed: device lost: out of memory)',
    );
    expect(chosen.fallbacks.at(-1)).toMatch(
      /webgpu failed while timed \(device lost: out of memory\), skipped$/,
    );
  });

  it('does not time a rung that cannot start, and names it in the note', async () => {
    const started: string[] = [];
    const { trial, timed } = trialOf({ wasm: 41, tensorflow: 60 });
    const rungs = [
      fakeRung('webgpu', started, { fails: 'only a software adapter (google swiftshader, vulkan)' }),
      fakeRung('tensorflow', started),
      fakeRung('wasm', started),
    ];
    const chosen = await chooseFastestRung(rungs, trial);
    expect(timed).toEqual(['tensorflow', 'wasm']);
    expect(chosen.label).toBe('wasm (auto: wasm 41 ms/step; tensorflow 60 ms/step)');
    expect(chosen.fallbacks[0]).toBe(
      'backend webgpu unavailable (only a software adapter (google swiftshader, vulkan))',
    );
  });

  it('times nothing when only one rung starts: the plain line, and a note saying so', async () => {
    const started: string[] = [];
    const { trial, timed } = trialOf({ wasm: 41 });
    const rungs = [fakeRung('webgpu', started, { fails: 'no WebGPU adapter' }), fakeRung('wasm', started)];
    const chosen = await chooseFastestRung([...rungs, fakeRung('cpu', started)], trial);
    expect(timed).toEqual([]);
    expect(chosen.label).toBe('wasm');
    expect(chosen.fallbacks).toEqual([
      'backend webgpu unavailable (no WebGPU adapter)',
      'auto: wasm is the only rung that starts here, nothing to time it against',
    ]);
  });

  it('starts cpu only when no other rung starts', async () => {
    const started: string[] = [];
    const { trial } = trialOf({});
    const rungs = [fakeRung('wasm', started, { fails: 'the wasm module failed to initialise' })];
    const chosen = await chooseFastestRung([...rungs, fakeRung('cpu', started)], trial);
    expect(chosen.name).toBe('cpu');
    expect(started).toEqual(['cpu', 'cpu']);
  });

  it('says so when no rung starts at all', async () => {
    const rungs = [fakeRung('wasm', [], { fails: 'broken' }), fakeRung('cpu', [], { fails: 'missing' })];
    await expect(chooseFastestRung(rungs, trialOf({}).trial)).rejects.toThrow(
      'no tfjs backend could start: backend wasm unavailable (broken); backend cpu unavailable (missing)',
    );
  });
});

describe('the rungs auto compares', () => {
  it('are the ladder in order, cpu last and only as the fallback', async () => {
    const rungs = await ladderRungs();
    const names = rungs.map((r) => r.name);
    expect(names).toEqual(BACKENDS.filter((b) => names.includes(b)));
    expect(names).toEqual(expect.arrayContaining(['webgpu', 'tensorflow', 'wasm', 'cpu']));
    expect(rungs.filter((r) => r.fallbackOnly).map((r) => r.name)).toEqual(['cpu']);
    expect(names.at(-1)).toBe('cpu');
  });
});

/** The real wasm and cpu rungs, both timed (cpu is normally the fallback only). */
const realRungs = (): Rung[] =>
  (['wasm', 'cpu'] as const).map((name) => ({ name, start: () => startRung(name) }));

const LINE = /^(wasm|cpu) \(auto: (wasm|cpu) ([\d.]+) ms\/step; (wasm|cpu) ([\d.]+) ms\/step\)$/;

describe('auto timing the real rungs', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('times two steps of the real model on wasm and cpu, keeps the faster, frees what it made', async () => {
    await selectBackend('wasm');
    const workload = createWorkload({});
    const config = TrainingConfigSchema.parse(workload.config);
    const initial = workload.model.weights.map((w) => Array.from(w.variable.dataSync()));
    const before = tf.memory();
    const { trial, restore } = await trainingTrial(workload.model, workload.data, config);
    const chosen = await chooseFastestRung(realRungs(), trial);
    restore();
    console.log(`auto on the adding template (LSTM 8 units, B4 T5): ${chosen.label}`);
    const [, name, first, fastest, second, slower] = LINE.exec(chosen.label) ?? [];
    expect(chosen.label).toMatch(LINE);
    expect([first, name, tf.getBackend()]).toEqual([chosen.name, chosen.name, chosen.name]);
    expect(second).not.toBe(first);
    expect(Number(fastest)).toBeLessThanOrEqual(Number(slower));
    expect(workload.model.weights.map((w) => Array.from(w.variable.dataSync()))).toEqual(initial);
    const after = tf.memory();
    expect([after.numTensors, after.numBytes]).toEqual([before.numTensors, before.numBytes]);
    workload.model.dispose();
  });

  it('a training run with auto says in run-start what it measured, and trains', async () => {
    const events: TelemetryEvent[] = [];
    const port = {
      postMessage: (m: { type: string; event?: TelemetryEvent; id?: number }) => {
        if (m.type === 'event' && m.event) events.push(m.event);
        if (m.type === 'checkpoint') queueMicrotask(() => acks.get(m.id!)?.({ location: 'memory' }));
      },
      onMessage: () => {},
    };
    const acks = new Map<number, (r: { location?: string }) => void>();
    const spec = {
      runId: 'auto-1',
      backend: 'auto' as const,
      workload: { module: engineWorkload, options: {} },
    };
    await runSpec(spec, port as never, new RunControl(), acks as never, realRungs);
    const start = events.find((e) => e.type === 'run-start');
    expect(start?.type === 'run-start' && start.backend).toMatch(LINE);
    expect(start?.type === 'run-start' && start.backendNote).toMatch(/auto timed two training steps/);
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'completed' });
  });
});
