// Data-parallel training on real worker threads (main/training/shards): a run on 2 engines (this one +
// one worker thread) matches a run on 1 engine to float summation order over 50+ steps, for an LSTM
// language model, a bidirectional GRU tagger and the date-translation graph; a killed 2-worker run
// resumes exactly; and no worker thread outlives a run that ends, is stopped, or loses a worker.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BatchEvent, TelemetryEvent } from '../../../../core/telemetry/events.js';
import type { TrainingConfigInput } from '../../../../core/training/config.js';
import type { FromRunner, RunSpec, ToRunner } from '../../../../main/training/protocol.js';
import { startRunProcess } from '../../../../main/training/runProcess.js';
import { serveRunner } from '../../../../main/training/runner.js';
import type { ParallelWorkloadOptions } from '../../../fixtures/training/parallelWorkload.js';

const module = fileURLToPath(new URL('../../../fixtures/training/parallelWorkload.ts', import.meta.url));

function spec(
  runId: string,
  options: ParallelWorkloadOptions,
  workers: number,
  resumeFrom?: Uint8Array,
  config: TrainingConfigInput = {},
  backend: RunSpec['backend'] = 'cpu',
): RunSpec {
  return {
    runId,
    backend,
    workload: { module, options },
    config: { ...config, workers },
    ...(resumeFrom ? { resumeFrom } : {}),
  };
}

interface Outcome {
  events: TelemetryEvent[];
  checkpoints: { step: number; bytes: Uint8Array }[];
  end: FromRunner | undefined;
}

/** The runner in this process (its worker threads are this process's threads); `onEvent` may stop it. */
function runHere(
  s: RunSpec,
  onEvent?: (event: TelemetryEvent, send: (m: ToRunner) => void) => void,
): Promise<Outcome> {
  const listeners: ((m: ToRunner) => void)[] = [];
  const send = (m: ToRunner) => listeners.forEach((l) => l(m));
  const outcome: Outcome = { events: [], checkpoints: [], end: undefined };
  return new Promise((resolve) => {
    serveRunner(
      {
        postMessage: (m: FromRunner) => {
          if (m.type === 'event') {
            outcome.events.push(m.event);
            onEvent?.(m.event, send);
          } else if (m.type === 'checkpoint') {
            outcome.checkpoints.push({ step: m.step, bytes: m.bytes });
            queueMicrotask(() => send({ type: 'checkpoint-saved', id: m.id }));
          } else if (m.type === 'done' || m.type === 'fatal') outcome.end = m;
        },
        onMessage: (listener) => {
          listeners.push(listener);
          return () => {};
        },
      },
      () => resolve(outcome),
    );
    send({ type: 'start', spec: s });
  });
}

const batches = (events: TelemetryEvent[]) => events.filter((e): e is BatchEvent => e.type === 'batch');

function expectClose(actual: (number | null)[], expected: (number | null)[], relative: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i] as number;
    if (a === null || e === null) throw new Error(`step ${i + 1}: a loss was not finite (${a} vs ${e})`);
    if (Math.abs(a - e) > relative * Math.abs(e))
      throw new Error(`step ${i + 1}: ${a} vs ${e} (relative ${Math.abs(a - e) / Math.abs(e)})`);
  });
}

/** Threads of this process (Linux: one /proc entry per thread). */
const threads = () => readdirSync('/proc/self/task').length;
const linux = process.platform === 'linux';

describe('data-parallel training on worker threads', () => {
  const cases: {
    name: string;
    model: ParallelWorkloadOptions['model'];
    workers: number;
    config?: TrainingConfigInput;
    backend?: RunSpec['backend'];
  }[] = [
    { name: 'an LSTM language model', model: 'lstm-lm', workers: 2 },
    { name: 'a bidirectional GRU tagger', model: 'bigru-tagger', workers: 2 },
    { name: 'the date-translation graph', model: 'dates', workers: 2 },
    // wasm: weights, gradients and their sum move through views of wasm memory (no copies out first).
    { name: 'a bidirectional GRU tagger on wasm', model: 'bigru-tagger', workers: 2, backend: 'wasm' },
    // Windows of 4 steps: every shard finishes window w before its update; each keeps its own state.
    {
      name: 'an LSTM language model with truncated BPTT',
      model: 'lstm-lm',
      workers: 3,
      config: { truncatedBptt: { steps: 4 } },
    },
  ];
  for (const { name, model, workers, config, backend } of cases) {
    it(
      `${workers} workers train ${name} like 1 worker: ` +
        `losses and gradient norms within 1e-5 relative over 50+ steps`,
      async () => {
        const options = { model, epochs: model === 'dates' ? 4 : 5 };
        const one = await runHere(spec(`one-${model}`, options, 1, undefined, config, backend));
        const two = await runHere(spec(`two-${model}`, options, workers, undefined, config, backend));
        expect(one.end).toEqual({ type: 'done' });
        expect(two.end).toEqual({ type: 'done' });
        expect(one.events.find((e) => e.type === 'run-start')).toMatchObject({ workers: 1 });
        expect(two.events.find((e) => e.type === 'run-start')).toMatchObject({ workers });
        if (backend)
          for (const run of [one, two])
            expect(run.events.find((e) => e.type === 'run-start')).toMatchObject({
              backend: expect.stringContaining(backend),
            });
        const a = batches(one.events);
        const b = batches(two.events);
        expect(a.length).toBeGreaterThanOrEqual(50);
        expectClose(
          b.map((e) => e.loss),
          a.map((e) => e.loss),
          1e-5,
        );
        expectClose(
          b.map((e) => e.gradNorm),
          a.map((e) => e.gradNorm),
          1e-4,
        );
        const layer = Object.keys(a[0]!.gradNormPerLayer)[0]!;
        expectClose(
          b.map((e) => e.gradNormPerLayer[layer]!),
          a.map((e) => e.gradNormPerLayer[layer]!),
          1e-4,
        );
        const [gated, gates] = Object.entries(a[0]!.gradNormPerGate)[0]!;
        const gate = Object.keys(gates)[0]!;
        expectClose(
          b.map((e) => e.gradNormPerGate[gated]![gate]!),
          a.map((e) => e.gradNormPerGate[gated]![gate]!),
          1e-4,
        );
        expectClose(
          b.map((e) => e.metrics.accuracy!),
          a.map((e) => e.metrics.accuracy!),
          1e-5,
        );
        // Validation (on the engine's own model) agrees too: the weights were the same after every step.
        const valA = one.events.flatMap((e) =>
          e.type === 'epoch' && e.validation ? [e.validation.loss] : [],
        );
        const valB = two.events.flatMap((e) =>
          e.type === 'epoch' && e.validation ? [e.validation.loss] : [],
        );
        expectClose(valB, valA, 1e-5);
      },
      120_000,
    );
  }

  it(
    'resumes a killed 2-worker engine process exactly, ' + 'and its checkpoint on 1 worker within 1e-5',
    async () => {
      const options: ParallelWorkloadOptions = { model: 'lstm-lm', epochs: 3 };
      const whole = await runHere(spec('whole', options, 2));
      const kept: { step: number; bytes: Uint8Array } = { step: 0, bytes: new Uint8Array() };
      const killed = await new Promise<{ signal: NodeJS.Signals | null }>((resolve) => {
        let batchesAfter = 0;
        const run = startRunProcess(spec('killed', options, 2), (m) => {
          if (m.type === 'checkpoint') {
            if (kept.step === 0) Object.assign(kept, { step: m.step, bytes: m.bytes });
            run.checkpointSaved(m.id, { location: 'mem' });
          }
          // Killed in the middle of epoch 2, after its first checkpoint: the work since is lost.
          if (m.type === 'event' && m.event.type === 'batch' && kept.step > 0 && ++batchesAfter === 3)
            run.kill();
        });
        void run.exited.then(resolve);
      });
      expect(killed.signal).toBe('SIGKILL');
      expect(kept.step).toBeGreaterThan(0);
      const rest = (o: Outcome) =>
        batches(o.events)
          .filter((e) => e.step > kept.step)
          .map((e) => e.loss);
      const onTwo = await runHere(spec('killed', options, 2, kept.bytes));
      expect(onTwo.events.find((e) => e.type === 'run-start')).toMatchObject({
        resumedFrom: { step: kept.step },
        workers: 2,
      });
      expect(rest(onTwo).length).toBeGreaterThan(0);
      expect(rest(onTwo)).toEqual(rest(whole));
      const onOne = await runHere(spec('killed', options, 1, kept.bytes));
      expectClose(rest(onOne), rest(whole), 1e-5);
    },
    120_000,
  );

  it.skipIf(!linux)(
    'leaves no worker thread behind when a run ends, is stopped, or a worker crashes',
    async () => {
      const options: ParallelWorkloadOptions = { model: 'bigru-tagger', epochs: 2 };
      // One run first, so threads Node starts lazily (file system pool) exist before counting.
      await runHere(spec('warm', options, 1));
      const before = threads();
      let during = 0;
      const ended = await runHere(spec('ends', options, 3), (e) => {
        if (e.type === 'batch') during = Math.max(during, threads());
      });
      expect(ended.end).toEqual({ type: 'done' });
      expect(during).toBeGreaterThanOrEqual(before + 2);
      expect(threads()).toBe(before);

      const stopped = await runHere(spec('stops', options, 3), (e, send) => {
        if (e.type === 'batch' && e.step === 2) send({ type: 'stop' });
      });
      expect(stopped.events.find((e) => e.type === 'run-end')).toMatchObject({ status: 'stopped' });
      expect(threads()).toBe(before);

      const crashed = await runHere(spec('crashes', { ...options, crashWorkerAtCall: 3 }, 3));
      expect(crashed.end).toMatchObject({
        type: 'fatal',
        message: expect.stringMatching(/training worker \d crashed: worker crashed on purpose/),
      });
      expect(threads()).toBe(before);
    },
    120_000,
  );
});
