// Kill a save mid-write, many times: the project file on disk is always a complete project (the old one
// or the new one, never a mix), and the next start leaves no temp files behind.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newProjectFile, ProjectStore, readProjectFile } from '../../../../main/project/index.js';

const root = join(import.meta.dirname, '../../../..');
const resourcesDir = join(root, 'resources');
const KILLS = 20;
const isTemp = (name: string) => name.includes('.rnn-tmp-');

async function killDuringSave(target: string, dataDir: string): Promise<boolean> {
  // Node itself with tsx's loader, not the tsx CLI: the CLI runs the script in a grandchild that a
  // SIGKILL of the CLI would leave writing on after the kill.
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      join(import.meta.dirname, 'save-child.ts'),
      target,
      dataDir,
      resourcesDir,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const folder = join(target, '..');
  const deadline = Date.now() + 30_000;
  // Wait for a temp file to appear: the child is then between open() and rename(), i.e. mid-save.
  while (Date.now() < deadline && !readdirSync(folder).some(isTemp))
    await new Promise((r) => setTimeout(r, 1));
  child.kill('SIGKILL');
  await exited;
  return readdirSync(folder).some(isTemp);
}

describe('atomic save', () => {
  it(
    `keeps the old or the new file intact when killed mid-save (${KILLS} kills), ` +
      `and cleans temps at the next start`,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rnn-kill-'));
      const dataDir = join(dir, 'app-data');
      const target = join(dir, 'projects', 'model.rnnproj');
      await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'projects')));
      await newProjectFile(resourcesDir, 'tagger', target);
      // Saved once through the store, so the project is in the recent list the next start cleans.
      const first = new ProjectStore({ dataDir, resourcesDir, autosaveMs: 0 });
      await first.init();
      await first.save((await first.openFile(target)).projectId);
      await first.dispose();
      const names = new Set<string>();
      let leftTemps = 0;
      for (let i = 0; i < KILLS; i++) {
        if (await killDuringSave(target, dataDir)) leftTemps++;
        const { doc, entries } = await readProjectFile(target);
        names.add(doc.name);
        expect(['Sequence tagger', 'A', 'B']).toContain(doc.name);
        if (doc.name !== 'Sequence tagger')
          expect(entries.get('weights/model.bin')?.length).toBe(8 * 1024 * 1024);
      }
      console.log(
        `atomic save: ${KILLS} kills, ${leftTemps} left a temp file (killed mid-write), ` +
          `file always intact; names seen: ${[...names].join(', ')}`,
      );
      expect(leftTemps).toBeGreaterThan(0);

      // The next start: init() cleans the folders of recent projects; opening cleans the project's folder.
      const store = new ProjectStore({ dataDir, resourcesDir, autosaveMs: 0 });
      await store.init();
      expect(readdirSync(join(dir, 'projects')).filter(isTemp)).toEqual([]);
      const reopened = await store.openFile(target);
      expect(reopened.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(readdirSync(join(dir, 'projects'))).toEqual(['model.rnnproj']);
    },
    300_000,
  );
});
