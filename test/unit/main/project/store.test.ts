// The project store: templates to projects, edits refused with the field at fault, entries for weights
// and checkpoints, autosave and crash recovery, old formats and architecture JSON on import.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeArchitecture } from '../../../../core/project/index.js';
import { CURRENT_FORMAT_VERSION } from '../../../../core/project/schema.js';
import { ProjectError, ProjectStore } from '../../../../main/project/index.js';

const root = join(import.meta.dirname, '../../../..');
const resourcesDir = join(root, 'resources');

async function store(dataDir = mkdtempSync(join(tmpdir(), 'rnn-store-'))): Promise<ProjectStore> {
  const s = new ProjectStore({ dataDir, resourcesDir, autosaveMs: 60_000 });
  await s.init();
  return s;
}

describe('ProjectStore', () => {
  it('lists the templates and creates a valid, unsaved project from each', async () => {
    const s = await store();
    const templates = await s.templates();
    expect(templates.map((t) => t.id)).toHaveLength(8);
    for (const t of templates) {
      const session = await s.create(t.id);
      expect(session).toMatchObject({ path: null, dirty: true, name: t.title, diagnostics: [] });
    }
    await expect(s.create('nope')).rejects.toMatchObject({ code: 'not-found', where: 'templateId' });
  });

  it('refuses an invalid edit with the field at fault and keeps the last good document', async () => {
    const s = await store();
    const { projectId, doc } = await s.create('tagger');
    let error: unknown;
    try {
      s.update(projectId, { ...doc, training: { ...doc.training, batchSize: -4 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).where).toBe('training.batchSize');
    expect(s.doc(projectId).training.batchSize).toBe(doc.training.batchSize);
    const result = s.update(projectId, { ...doc, graph: { ...doc.graph, edges: doc.graph.edges.slice(1) } });
    expect(result.diagnostics.some((d) => d.code === 'dangling-port')).toBe(true);
  });

  it('saves, reopens with entries, and refuses unsafe entry names', async () => {
    const s = await store();
    const { projectId } = await s.create('adding-problem');
    s.writeEntries(projectId, {
      'checkpoints/run1/step-10.bin': new Uint8Array([1, 2, 3]),
      'history/run1.ndjson': new TextEncoder().encode('{"type":"run-start"}\n'),
    });
    expect(() => s.writeEntries(projectId, { '../escape.bin': new Uint8Array(1) })).toThrow(/zip-slip/);
    const path = join(mkdtempSync(join(tmpdir(), 'rnn-save-')), 'a.rnnproj');
    await s.save(projectId, path);
    expect(s.get(projectId).dirty).toBe(false);
    const again = await store();
    const opened = await again.openFile(path);
    expect(opened.name).toBe('Adding problem');
    expect(again.listEntries(opened.projectId)).toEqual([
      'checkpoints/run1/step-10.bin',
      'history/run1.ndjson',
    ]);
    expect([...again.readEntry(opened.projectId, 'checkpoints/run1/step-10.bin')!]).toEqual([1, 2, 3]);
    expect(again.recent()[0]).toMatchObject({ path, name: 'Adding problem' });
    expect(again.summary(opened.projectId).at(-1)).toMatchObject({ node: 'sum', kind: 'head', params: 33 });
  });

  it('autosaves unsaved work and offers it back after a crash', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rnn-crash-'));
    const first = await store(dataDir);
    const { projectId, doc } = await first.create('copy-task');
    first.update(projectId, { ...doc, name: 'Unsaved work' });
    await first.flushAutosaves();
    // "Crash": the first store is simply abandoned. The next start finds the autosave.
    const next = await store(dataDir);
    const recoverable = await next.recoverable();
    expect(recoverable).toEqual([
      expect.objectContaining({ id: projectId, name: 'Unsaved work', path: null }),
    ]);
    const recovered = await next.recover(projectId);
    expect(recovered).toMatchObject({ name: 'Unsaved work', dirty: true });
    expect(await next.recoverable()).toEqual([]);
    await next.close(recovered.projectId);
    expect(await (await store(dataDir)).recoverable()).toEqual([]);
  });

  it('opens a format 1 .rnnproj and imports architecture JSON', async () => {
    const s = await store();
    const old = await s.openFile(join(root, 'test/fixtures/project/v1-sentiment.rnnproj'));
    expect(old).toMatchObject({
      name: 'Sentiment (saved by format 1)',
      path: join(root, 'test/fixtures/project/v1-sentiment.rnnproj'),
      diagnostics: [],
    });
    expect(old.doc.formatVersion).toBe(CURRENT_FORMAT_VERSION);
    const architecture = serializeArchitecture(old.doc);
    const imported = s.importBytes('design.json', new TextEncoder().encode(architecture));
    expect(imported.doc.graph).toEqual(old.doc.graph);
    expect(imported.doc.dataset).toBeUndefined();
    expect(() => s.importBytes('x.json', new TextEncoder().encode('['.repeat(100_000)))).toThrow(
      /nests deeper than 64/,
    );
    expect(() => s.importBytes('x.rnnproj', readFileSync(join(root, 'package.json')))).toThrow(ProjectError);
  });
});
