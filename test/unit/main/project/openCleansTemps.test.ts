// Every entry point that opens a project removes the temps that killed saves of that project left beside
// it, and only those: our name pattern for this file, written by a process that is gone. A temp of a live
// writer, a temp of another project in the same folder and a look-alike name are left alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/program.js';
import { newProjectFile, ProjectStore } from '../../../../main/project/index.js';

const resourcesDir = join(import.meta.dirname, '../../../../resources');
/** A pid that was a process a moment ago and is not any more (spawnSync has reaped it). */
const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
const livePid = process.ppid; // the test runner that started this worker

async function cli(...argv: string[]): Promise<number> {
  return runCli(argv, { out: () => {}, err: () => {}, isTTY: false });
}

/** A project with temps around it: which of them an open must remove, and which it must keep. */
async function projectWithTemps(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `rnn-temps-${name}-`));
  const file = join(dir, 'model.rnnproj');
  await newProjectFile(resourcesDir, 'sentiment', file);
  const stale = [`.model.rnnproj.rnn-tmp-${deadPid}-0badf00d`, `.model.rnnproj.rnn-tmp-${deadPid}-12345678`];
  const kept = [
    `.model.rnnproj.rnn-tmp-${livePid}-aaaabbbb`, // a save in progress in a live process
    `.other.rnnproj.rnn-tmp-${deadPid}-0badf00d`, // another project's: its own open cleans it
    `.model.rnnproj.rnn-tmp-${deadPid}-notours`, // not our pattern
    'notes.txt',
  ];
  for (const temp of [...stale, ...kept]) writeFileSync(join(dir, temp), 'partial save');
  return { dir, file, kept: [...kept, 'model.rnnproj'].sort() };
}

describe('opening a project cleans its stale temps', () => {
  const entryPoints: [string, (file: string, dir: string) => Promise<unknown>][] = [
    ['rnn-studio validate', (file) => cli('validate', file)],
    ['rnn-studio summary', (file) => cli('summary', file)],
    ['rnn-studio eval', (file, dir) => cli('eval', file, '--data-dir', join(dir, 'app'))],
    ['rnn-studio predict', (file) => cli('predict', file, '--input', 'good film')],
    ['rnn-studio generate', (file) => cli('generate', file, '--seed', 'a')],
    ['rnn-studio export', (file, dir) => cli('export', file, '--format', 'json', '--out', join(dir, 'out'))],
    [
      'rnn-studio train (--resume, refused: nothing to resume)',
      (file, dir) => cli('train', file, '--resume', '--backend', 'cpu', '--data-dir', join(dir, 'app')),
    ],
    ['rnn-studio data', (file, dir) => cli('data', file, '--data-dir', join(dir, 'app'))],
    [
      'studio project.open',
      async (file, dir) => {
        const store = new ProjectStore({ dataDir: join(dir, 'app'), resourcesDir, autosaveMs: 0 });
        await store.init(); // the recent list is empty: only the open can have cleaned
        await store.openFile(file);
      },
    ],
  ];
  for (const [name, open] of entryPoints) {
    it(name, async () => {
      const { dir, file, kept } = await projectWithTemps(name.replace(/\W+/g, '-'));
      await open(file, dir);
      expect(
        readdirSync(dir)
          .filter((n) => n !== 'app' && n !== 'out')
          .sort(),
      ).toEqual(kept);
    });
  }

  it('studio recovery of an autosave of a saved project', async () => {
    const { dir, file, kept } = await projectWithTemps('recover');
    const dataDir = join(dir, 'app');
    const first = new ProjectStore({ dataDir, resourcesDir, autosaveMs: 60_000 });
    await first.init();
    const { projectId } = await first.openFile(file);
    // An edit, autosaved; then the studio is gone without closing the project (what a crash leaves).
    first.update(projectId, { ...first.doc(projectId), description: 'edited' });
    await first.flushAutosaves();
    // The next start cleans the folders of recent projects; a crash mid-save after that (another studio
    // window) leaves a temp that only the recovery's own open can clean.
    const next = new ProjectStore({ dataDir, resourcesDir, autosaveMs: 0 });
    await next.init();
    writeFileSync(join(dir, `.model.rnnproj.rnn-tmp-${deadPid}-0badf00d`), 'partial save');
    const [meta] = await next.recoverable();
    expect(meta?.path).toBe(file);
    expect((await next.recover(meta!.id)).doc.description).toBe('edited');
    // (The start itself cleaned the other project's stale temp: its folder is a recent project's.)
    expect(
      readdirSync(dir)
        .filter((n) => n !== 'app')
        .sort(),
    ).toEqual(kept.filter((n) => !n.startsWith('.other')));
  });
});
