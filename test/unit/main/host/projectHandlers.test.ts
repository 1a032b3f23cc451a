// project.* over the real project store: an edit from the UI never erases the run history the training
// side wrote, saves only ever write .rnnproj files, and uploads are checked before they are read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../../../main/project/index.js';
import { projectHandlers } from '../../../../main/host/handlers/projectHandlers.js';
import { dispatch } from '../../../../main/host/dispatch.js';
import type { HostHandlers } from '../../../../core/api/contract.js';
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
    const staleCopy = structuredClone(session.doc);
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

  it('refuse a malformed update at the boundary, naming the field, and keep the document', async () => {
    // dispatch is what the web host and the Electron IPC adapter both run for every call; only the
    // project.* calls are answered here.
    const handlers = projectHandlers(store) as unknown as HostHandlers;
    const session = await projectHandlers(store)['project.create']({ templateId: 'adding-problem' });
    const before = structuredClone(store.doc(session.projectId));
    const update = (doc: unknown) =>
      dispatch(handlers, 'project.update', { projectId: session.projectId, doc });
    const firstNode = session.doc.graph.nodes[0]!;

    const cases: [unknown, string, string][] = [
      [{ ...session.doc, name: '' }, 'doc.name', 'doc.name must not be empty.'],
      [{ ...session.doc, task: 'poetry' }, 'doc.task', 'doc.task must be one of'],
      [
        { ...session.doc, graph: { ...session.doc.graph, nodes: [{ ...firstNode, id: 42 }] } },
        'doc.graph.nodes[0].id',
        'doc.graph.nodes[0].id must be text.',
      ],
      [{ ...session.doc, training: { ...session.doc.training, epochs: -1 } }, 'doc.training.epochs', ''],
      [{ ...session.doc, notes: 'x' }, 'doc', 'unknown field "notes"'],
      ['not a project', 'doc', 'doc must be an object'],
    ];
    for (const [doc, field, words] of cases) {
      const answer = await update(doc);
      expect(answer.ok, field).toBe(false);
      if (answer.ok) continue;
      expect(answer.error.code).toBe('invalid-request');
      expect(answer.error.where).toBe(`project.update: ${field}`);
      expect(answer.error.message).toContain(field);
      expect(answer.error.message).toContain(words);
    }
    expect(store.doc(session.projectId)).toEqual(before);

    const renamed = await update({ ...session.doc, name: 'Renamed' });
    expect(renamed).toMatchObject({ ok: true, result: { dirty: true } });
    expect(store.doc(session.projectId).name).toBe('Renamed');
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
