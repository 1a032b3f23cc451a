// The CLI as a user runs it (bin/rnn-studio.mjs, toy workload): `train` killed with SIGKILL mid-epoch then
// `train --resume` ends within 1e-5 of an uninterrupted run; Ctrl-C stops with a checkpoint; `eval
// --json` prints one snake_case JSON object; NDJSON events parse against the schema.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelemetryEventSchema, type TelemetryEvent } from '../../../../core/telemetry/events.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(root, 'bin/rnn-studio.mjs');
const toy = join(root, 'test/fixtures/training/toyWorkload.ts');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rnn-cli-train-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: TelemetryEvent[];
}

/** Runs the CLI; `onEvent` may kill or interrupt it (NDJSON events parsed as they arrive). */
function cli(
  args: string[],
  onEvent?: (event: TelemetryEvent, child: ReturnType<typeof spawn>) => void,
): Promise<Result> {
  return new Promise((resolve) => {
    const common =
      args[0] === 'train' || args[0] === 'eval' ? ['--data-dir', join(dir, 'data'), '--backend', 'cpu'] : [];
    const child = spawn(process.execPath, [bin, ...args, ...common], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const events: TelemetryEvent[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const event = JSON.parse(line) as TelemetryEvent;
        events.push(event);
        onEvent?.(event, child);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr, events }));
  });
}

const finalLoss = (r: Result) => {
  const end = r.events.filter((e) => e.type === 'run-end').at(-1);
  return end?.type === 'run-end' ? (end.final.train?.loss ?? NaN) : NaN;
};

describe('rnn-studio train / eval', () => {
  it(
    'SIGKILL mid-epoch + --resume matches an uninterrupted run to 1e-5; ' +
      'Ctrl-C saves a checkpoint; eval --json',
    async () => {
      for (const name of ['full', 'killed', 'interrupted']) {
        const made = await cli(['new', 'adding-problem', join(dir, `${name}.rnnproj`)]);
        expect(made.code, made.stderr).toBe(0);
      }
      const train = (name: string, extra: string[] = []) => [
        'train',
        join(dir, `${name}.rnnproj`),
        '--events',
        'ndjson',
        '--workload',
        toy,
        ...extra,
      ];
      const [full, killed, interrupted] = await Promise.all([
        cli(train('full')),
        cli(train('killed'), (e, child) => {
          if (e.type === 'batch' && e.epoch === 2 && e.batch === 3) child.kill('SIGKILL');
        }),
        cli(train('interrupted', ['--epochs', '50']), (e, child) => {
          if (e.type === 'batch' && e.step === 3) child.kill('SIGINT');
        }),
      ]);
      expect(full.code, full.stderr).toBe(0);
      for (const e of full.events) expect(TelemetryEventSchema.safeParse(e).success).toBe(true);
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.events.some((e) => e.type === 'run-end')).toBe(false);

      expect(interrupted.code, interrupted.stderr).toBe(0);
      expect(interrupted.events.at(-1)).toMatchObject({ type: 'run-end', status: 'stopped' });
      expect(interrupted.events.some((e) => e.type === 'checkpoint' && e.reason === 'stop')).toBe(true);

      const [resumed, evaluated] = await Promise.all([
        cli(train('killed', ['--resume'])),
        cli(['eval', join(dir, 'full.rnnproj'), '--json', '--workload', toy]),
      ]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.events[0]).toMatchObject({ type: 'run-start', resumedFrom: { epoch: 1, step: 6 } });
      expect(Math.abs(finalLoss(resumed) - finalLoss(full))).toBeLessThan(1e-5);

      expect(evaluated.code, evaluated.stderr).toBe(0);
      const report = JSON.parse(evaluated.stdout.trim()) as Record<string, unknown>;
      expect(Object.keys(report)).toEqual(expect.arrayContaining(['loss', 'mse']));
      expect(report.loss).toBeCloseTo(report.mse as number, 6);
    },
    240_000,
  ); // five CLI processes, each starting a tsx-compiled engine process: slow on a busy 2-core box

  it('refuses bad options and a project without a checkpoint with exit code 1', async () => {
    const made = await cli(['new', 'adding-problem', join(dir, 'fresh.rnnproj')]);
    expect(made.code).toBe(0);
    const [epochs, resume, evaluate, workers] = await Promise.all([
      cli(['train', join(dir, 'fresh.rnnproj'), '--epochs', 'zero']),
      cli(['train', join(dir, 'fresh.rnnproj'), '--resume', '--workload', toy]),
      cli(['eval', join(dir, 'fresh.rnnproj'), '--workload', toy]),
      cli(['train', join(dir, 'fresh.rnnproj'), '--workers', 'many']),
    ]);
    expect(workers.code).toBe(1);
    expect(workers.stderr).toMatch(/--workers must be auto or a whole number from 1 to 256, not "many"/);
    expect(epochs.code).toBe(1);
    expect(epochs.stderr).toMatch(/--epochs/);
    expect(resume.code).toBe(1);
    expect(resume.stderr).toMatch(/no checkpoint to resume/);
    expect(evaluate.code).toBe(1);
    expect(evaluate.stderr).toMatch(/no trained weights/);
  }, 120_000);

  it('train --workers 2 trains on two engines and says so in run-start and the progress lines', async () => {
    const made = await cli(['new', 'adding-problem', join(dir, 'two.rnnproj')]);
    expect(made.code).toBe(0);
    const file = join(dir, 'two.rnnproj');
    const [events, lines] = await Promise.all([
      cli(['train', file, '--events', 'ndjson', '--workload', toy, '--epochs', '1', '--workers', '2']),
      cli(['train', join(dir, 'fresh.rnnproj'), '--workload', toy, '--epochs', '1', '--workers', '2']),
    ]);
    expect(events.code, events.stderr).toBe(0);
    expect(events.events[0]).toMatchObject({ type: 'run-start', workers: 2, config: { workers: 2 } });
    expect(events.events.at(-1)).toMatchObject({ type: 'run-end', status: 'completed' });
    expect(lines.code, lines.stderr).toBe(0);
    expect(lines.stdout).toMatch(/on cpu with 2 workers/);
  }, 120_000);
});
