// project.* over the real project store: an edit from the UI never erases the run history the training
// side wrote, saves only ever write .rnnproj files, and uploads are checked before they are read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../../../main/project/index.js';
import { projectHandlers } from '../../../../main/host/handlers/projectHandlers.js';
import { resourcesDir } from '../../../../main/host/appInfo.js';

let store: ProjectStore;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rnn-handlers-'));
  store = new ProjectStore({ dataDir: join(dir, 'data'), resourcesDir, autosaveMs: 0 });
  await store.init();
});
afterAll(() => store.dispose());

describe('project handlers', () => {
  it('keep the run history when the UI sends an older copy of the project', async () => {
    const h = projectHandlers(store);
    const session = await h['project.create']({ templateId: 'adding-problem' });
    const staleCopy = structuredClone(session.doc) as Record<string, unknown>;
    const run = {
      id: 'run-1',
      name: 'first',
      startedAt: '2026-01-01T00:00:00Z',
      status: 'completed',
      epochs: 1,
      best: {},
      final: { loss: 0.1 },
    };
    store.update(session.projectId, { ...session.doc, runs: [run] });
    await h['project.update']({ projectId: session.projectId, doc: { ...staleCopy, name: 'Renamed' } });
    const after = store.doc(session.projectId);
    expect(after.name).toBe('Renamed');
    expect(after.runs.map((r) => r.id)).toEqual(['run-1']);
  });

  it('save only to .rnnproj paths', async () => {
    const h = projectHandlers(store);
    const { projectId } = await h['project.create']({ templateId: 'copy-task' });
    const target = join(dir, 'notes.txt');
    await expect(h['project.save']({ projectId, path: target })).rejects.toMatchObject({
      code: 'invalid-input',
      where: 'path',
    });
    expect(existsSync(target)).toBe(false);
    const saved = await h['project.save']({ projectId, path: join(dir, 'copy.rnnproj') });
    expect(existsSync(saved.path)).toBe(true);
  });

  it('refuse an upload that is not base64, and name a bad project file', async () => {
    const h = projectHandlers(store);
    await expect(h['project.import']({ fileName: 'x.rnnproj', dataBase64: 'not base64!' })).rejects.toThrow(
      'x.rnnproj is not valid base64.',
    );
    const garbage = Buffer.from('PK\u0003\u0004 this is no zip').toString('base64');
    await expect(h['project.import']({ fileName: 'broken.rnnproj', dataBase64: garbage })).rejects.toThrow(
      /broken\.rnnproj|zip/i,
    );
  });
});
