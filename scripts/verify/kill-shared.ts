// SIGKILLs timed to saves, shared by the kill test in `npm test` (test/unit/main/training/killTimed.test.ts,
// a few kills) and `npm run verify -- kill-timed` (hundreds). Each kill: start the real CLI (`rnn-studio
// train`, or `rnn-studio data --import`), watch the project's folder, SIGKILL the CLI the moment a temp
// file of an atomic save appears (the save is then between open() and rename()), wait until the process is
// gone, then open the project by one entry point (`rnn-studio validate --json`, the CLI program in this
// process, after even kills; the studio's project.open, a fresh ProjectStore, after odd ones) and count:
// corrupt projects (the open cannot read it), temp files left after that open, runs that open still lists
// as `running`. Every save writes ≥ 4 MB (an incompressible entry in the project), so a save lasts long
// enough to be caught in the middle. A train saves twice an epoch (best, then latest): its kills land in the
// 1st to 4th save in turn, so some fall between the two saves and some after runs are recorded.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../main/cli/program.js';
import { newProjectFile, ProjectStore, readProjectFile, writeProjectFile } from '../../main/project/index.js';
import { findResumePoint } from '../../main/training/resumePoint.js';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/rnn-studio.mjs');
const toyWorkload = join(root, 'test/fixtures/training/toyWorkload.ts');
const isTemp = (name: string) => name.includes('.rnn-tmp-');

export type KillKind = 'train' | 'import';

export interface KillFigures {
  kind: KillKind;
  /** CLI processes killed with SIGKILL when a temp file appeared. */
  kills: number;
  /** Of those, how many left a temp file behind (killed mid-write, before the rename). */
  leftTemps: number;
  /** Runs the file on disk still said were running after the kill (before the next open). */
  runningOnDisk: number;
  /** Runs resumed (train): `--resume` found a checkpoint after the previous kill. */
  resumed: number;
  /** What must be 0. */
  corrupt: number;
  tempsAfterOpen: number;
  runningAfterOpen: number;
  /** CLI runs that ended on their own with an error before any save (each is listed in `problems`). */
  failedToStart: number;
  /** Which entry point made the open after each kill. */
  openedBy: { validate: number; studio: number };
  problems: string[];
}

/** One project in its own folder; 4 MB of incompressible bytes make every save long enough to catch. */
async function makeProject(kind: KillKind, dir: string): Promise<string> {
  const file = join(dir, 'project', 'model.rnnproj');
  mkdirSync(join(dir, 'project'), { recursive: true });
  const project = await newProjectFile(
    join(root, 'resources'),
    kind === 'train' ? 'adding-problem' : 'sentiment',
    file,
  );
  project.entries.set('weights/ballast.bin', new Uint8Array(randomBytes(4 * 1024 * 1024)));
  await writeProjectFile(file, project);
  if (kind === 'import') {
    const rows = Array.from(
      { length: 400 },
      (_, i) =>
        `"review ${i}: ${i % 2 ? 'a warm, funny film' : 'dull and far too long'}",${i % 2 ? 'pos' : 'neg'}`,
    );
    writeFileSync(join(dir, 'reviews.csv'), `text,label\n${rows.join('\n')}\n`);
  }
  return file;
}

function cliArgs(kind: KillKind, file: string, dir: string, resume: boolean): string[] {
  const common = ['--data-dir', join(dir, 'app')];
  if (kind === 'import')
    return [
      'data',
      file,
      '--import',
      join(dir, 'reviews.csv'),
      '--task',
      'classification',
      '--embed',
      ...common,
    ];
  const workload = JSON.stringify({ epochs: 100_000, size: 48, batchSize: 8 });
  return [
    'train',
    file,
    '--backend',
    'cpu',
    '--events',
    'ndjson',
    '--workload',
    toyWorkload,
    '--workload-options',
    workload,
    ...(resume ? ['--resume'] : []),
    ...common,
  ];
}

/**
 * Starts the CLI and SIGKILLs it when the `nth` temp file appears in the project's folder; resolves once
 * it is gone. The folder is watched (inotify and its kin) and polled every 20 ms besides, so a temp is
 * seen as it is created without a busy loop taking the CPU the CLI needs.
 */
async function killAtTemp(
  args: string[],
  folder: string,
  nth: number,
): Promise<{ killed: boolean; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exited = true;
      resolve(code);
    }),
  );
  const seen = new Set<string>();
  let killed = false;
  await new Promise<void>((resolve) => {
    const look = (name?: string | null) => {
      if (killed || exited) return;
      for (const temp of name ? [name] : readdirSync(folder)) if (isTemp(temp)) seen.add(temp);
      if (seen.size >= nth) killed = child.kill('SIGKILL');
      if (killed) finish();
    };
    const watcher = watch(folder, (_event, name) => look(name));
    const timer = setInterval(() => look(), 20);
    const finish = () => {
      watcher.close();
      clearInterval(timer);
      resolve();
    };
    void exit.then(finish);
  });
  const code = await exit; // reaped: its pid is gone, as after any crash
  return { killed, code, stderr };
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), isTTY: false });
  return { code, out, err };
}

type Opened = { runs: { id: string; status: string }[] } | { problem: string };

/** `rnn-studio validate --json` (the CLI program, in this process): exit 2 means it could not read it. */
async function openWithValidate(file: string): Promise<Opened> {
  const validated = await cli(['validate', file, '--json']);
  if (validated.code === 2 || !validated.out.trim().startsWith('{'))
    return { problem: `validate exit ${validated.code}: ${validated.err.trim()}` };
  return JSON.parse(validated.out) as { runs: { id: string; status: string }[] };
}

/** The studio's project.open: a fresh ProjectStore (a new studio start) opening the file. */
async function openInStudio(file: string, dataDir: string): Promise<Opened> {
  const store = new ProjectStore({ dataDir, resourcesDir: join(root, 'resources'), autosaveMs: 0 });
  await store.init();
  try {
    const session = await store.openFile(file);
    await store.close(session.projectId);
    return { runs: session.doc.runs };
  } catch (error) {
    return { problem: `the studio could not open it: ${(error as Error).message}` };
  }
}

/** The runs as project.json on disk says, without any open's corrections. */
async function runningOnDisk(file: string): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const { readProjectZip, DEFAULT_LIMITS } = await import('../../main/project/index.js');
  const json = readProjectZip(readFileSync(file), DEFAULT_LIMITS).get('project.json');
  const doc = JSON.parse(new TextDecoder().decode(json)) as { runs?: { status: string }[] };
  return (doc.runs ?? []).filter((r) => r.status === 'running').length;
}

/** `count` kills of one kind, `workers` projects killed side by side. */
export async function killTimedToTemps(
  kind: KillKind,
  count: number,
  workers = 2,
  log: (line: string) => void = () => {},
): Promise<KillFigures> {
  const figures: KillFigures = {
    kind,
    kills: 0,
    leftTemps: 0,
    runningOnDisk: 0,
    resumed: 0,
    corrupt: 0,
    tempsAfterOpen: 0,
    runningAfterOpen: 0,
    failedToStart: 0,
    openedBy: { validate: 0, studio: 0 },
    problems: [],
  };
  let next = 0;
  const worker = async (w: number) => {
    const dir = mkdtempSync(join(tmpdir(), `rnn-kill-${kind}-${w}-`));
    const file = await makeProject(kind, dir);
    const folder = join(dir, 'project');
    let resume = false;
    while (next < count) {
      const i = next++;
      // Which save to kill in: train saves twice an epoch (best, then latest), so kills land in the first
      // save, between the two, and in later epochs with runs already recorded; an import saves once.
      const nth = kind === 'train' ? 1 + (i % 4) : 1;
      const { killed, code, stderr } = await killAtTemp(cliArgs(kind, file, dir, resume), folder, nth);
      if (!killed) {
        // The CLI ended by itself: a clean import that finished before the poll saw its save is fine;
        // anything else is a failure to report.
        if (code !== 0) {
          figures.failedToStart++;
          figures.problems.push(
            `${kind} #${i}: exited ${code} before any save: ${stderr.trim().split('\n').at(-1)}`,
          );
        }
        continue;
      }
      figures.kills++;
      if (resume) figures.resumed++;
      if (readdirSync(folder).some(isTemp)) figures.leftTemps++;
      figures.runningOnDisk += await runningOnDisk(file).catch(() => 0);
      // The next open: the CLI's `validate` for even kills, the studio's project.open for odd ones.
      const opened =
        i % 2 === 0 ? await openWithValidate(file) : await openInStudio(file, join(dir, 'studio'));
      figures.openedBy[i % 2 === 0 ? 'validate' : 'studio']++;
      if ('problem' in opened) {
        figures.corrupt++;
        figures.problems.push(`${kind} #${i}: ${opened.problem}`);
        continue;
      }
      const temps = readdirSync(folder).filter(isTemp);
      figures.tempsAfterOpen += temps.length;
      if (temps.length)
        figures.problems.push(`${kind} #${i}: temps left after the open: ${temps.join(', ')}`);
      const running = opened.runs.filter((r) => r.status === 'running');
      figures.runningAfterOpen += running.length;
      if (running.length)
        figures.problems.push(
          `${kind} #${i}: still running after the open: ${running.map((r) => r.id).join(', ')}`,
        );
      // The next train continues the run when a checkpoint made it to disk (what a user does after a kill).
      if (kind === 'train') {
        const { doc, entries } = await readProjectFile(file);
        resume = findResumePoint(doc, (name) => entries.get(name)) !== undefined;
      }
      if ((i + 1) % 10 === 0) log(`${kind}: ${i + 1}/${count}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, count) }, (_, w) => worker(w)));
  return figures;
}

export function describeFigures(f: KillFigures): string {
  const resumed = f.kind === 'train' ? `; ${f.resumed} kills of a resumed run` : '';
  return (
    `${f.kind}: ${f.kills} SIGKILLs timed to a temp file (${f.leftTemps} left one, killed mid-write; ` +
    `${f.runningOnDisk} runs left 'running' on disk${resumed}) → ` +
    `${f.corrupt} corrupt, ${f.tempsAfterOpen} temp files after the next open, ` +
    `${f.runningAfterOpen} runs still running ` +
    `(opened by validate ${f.openedBy.validate}, by the studio ${f.openedBy.studio})` +
    (f.failedToStart ? `; ${f.failedToStart} CLI runs failed before any save` : '')
  );
}
