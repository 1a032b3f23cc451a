// `rnn-studio train` on a user's own data, as a user runs it (bin/rnn-studio.mjs): a run far shorter than
// a classifier needs is called out before it starts, with the command that fixes it; that command's
// flags (--epochs, --patience) reach the run's settings and the warning is gone; the length the import
// sized is not warned about. The engine trains the toy workload (the warning reads the project's data and
// settings, which is what is tested), and each run is stopped once it has started.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../../core/telemetry/events.js';
import { runCli } from '../../../../main/cli/program.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(root, 'bin/rnn-studio.mjs');
const toy = join(root, 'test/fixtures/training/toyWorkload.ts');
let dir: string;
let project: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rnn-short-run-'));
  project = join(dir, 'reviews.rnnproj');
  // 400 reviews → 320 to train on (10% validation, 10% test) → 10 batches of 32 an epoch.
  const rows = Array.from(
    { length: 400 },
    (_, i) =>
      `${i % 2 ? 'a dull and slow film' : 'a warm and lovely film'} number ${i},${i % 2 ? 'neg' : 'pos'}`,
  );
  await writeFile(join(dir, 'reviews.csv'), `text,label\n${rows.join('\n')}\n`);
  for (const argv of [
    ['new', 'sentiment', project],
    ['data', project, '--import', join(dir, 'reviews.csv'), '--data-dir', join(dir, 'data')],
  ]) {
    let err = '';
    const code = await runCli(argv, { out: () => {}, err: (t) => (err += t), isTTY: false });
    expect(code, err).toBe(0);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `rnn-studio train <project> …args`, stopped (Ctrl-C) as soon as the run has started. */
function train(...args: string[]): Promise<{ code: number | null; stderr: string; start?: TelemetryEvent }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [bin, 'train', project, ...args, '--workload', toy, '--events', 'ndjson', '--backend', 'cpu'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let start: TelemetryEvent | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const line of stdout.split('\n').slice(0, -1)) {
        if (start || !line.startsWith('{')) continue;
        const event = JSON.parse(line) as TelemetryEvent;
        if (event.type === 'run-start') {
          start = event;
          child.kill('SIGINT');
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr, ...(start ? { start } : {}) }));
  });
}

describe('rnn-studio train: the short-run warning', () => {
  it(
    'warns before a run far too short, with the command that fixes it; ' + 'that command runs unwarned',
    async () => {
      const short = await train('--epochs', '2');
      expect(short.code, short.stderr).toBe(0);
      expect(short.stderr).toContain(
        'warning: This run makes 20 optimizer steps (2 epochs of 10 batches); a classifier usually needs ' +
          'about 1,000 to learn more than the most common tokens. Train for 100 epochs, ' +
          'with early stopping ' +
          'after 6 epochs without improvement.\n' +
          `  To train that long: rnn-studio train ${project} --epochs 100 --patience 6\n`,
      );
      // The warning comes before the run starts, not after it has been wasted.
      expect(short.start).toMatchObject({ type: 'run-start', config: { epochs: 2 } });

      const fixed = await train('--epochs', '100', '--patience', '6');
      expect(fixed.code, fixed.stderr).toBe(0);
      expect(fixed.stderr).not.toContain('warning:');
      expect(fixed.start).toMatchObject({
        type: 'run-start',
        config: { epochs: 100, earlyStopping: { metric: 'validation.loss', patience: 6 } },
      });
    },
    180_000,
  );

  it('does not warn about the length the import sized, and refuses a bad --patience', async () => {
    const sized = await train();
    expect(sized.code, sized.stderr).toBe(0);
    expect(sized.stderr).not.toContain('warning:');
    const bad = await train('--patience', 'soon');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--patience must be a whole number of at least 0, not "soon".');
  }, 180_000);
});
