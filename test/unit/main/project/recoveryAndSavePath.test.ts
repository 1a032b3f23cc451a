// The start page's recovery list can be emptied by the user, and Save's default path is absolute: the
// project's own file, else the workspace, never a path relative to the folder the host started in.
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../../main/project/index.js';
import { workspaceOnly } from '../../../../main/files/access.js';

const resourcesDir = join(import.meta.dirname, '../../../../resources');
const temp = (what: string) => mkdtempSync(join(tmpdir(), `rnn-${what}-`));

describe('recovery list and Save path', () => {
  it('discards an autosave so it is no longer offered, and refuses an unknown one', async () => {
    const dataDir = temp('data');
    const first = new ProjectStore({ dataDir, resourcesDir, autosaveMs: 60_000 });
    await first.init();
    const { projectId, doc } = await first.create('tagger');
    first.update(projectId, { ...doc, name: 'Left behind' });
    await first.flushAutosaves();
    const next = new ProjectStore({ dataDir, resourcesDir, autosaveMs: 60_000 });
    await next.init();
    expect((await next.recoverable()).map((r) => r.name)).toEqual(['Left behind']);
    await next.discardRecovery(projectId);
    expect(await next.recoverable()).toEqual([]);
    await expect(next.discardRecovery(projectId)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('offers back edited work only: a template opened and left untouched leaves no autosave', async () => {
    const dataDir = temp('data');
    const first = new ProjectStore({ dataDir, resourcesDir, autosaveMs: 60_000 });
    await first.init();
    await first.create('sentiment');
    const edited = await first.create('tagger');
    first.update(edited.projectId, { ...edited.doc, name: 'Edited tagger' });
    await first.flushAutosaves();
    // The first store is abandoned (a crash): only the edited project is offered at the next start.
    const next = new ProjectStore({ dataDir, resourcesDir, autosaveMs: 60_000 });
    await next.init();
    expect((await next.recoverable()).map((r) => r.name)).toEqual(['Edited tagger']);
  });

  it('suggests <workspace>/<name>.rnnproj for a new project and its own file once saved', async () => {
    const workspace = temp('workspace');
    const s = new ProjectStore({
      dataDir: temp('data'),
      resourcesDir,
      autosaveMs: 60_000,
      access: await workspaceOnly(workspace),
    });
    await s.init();
    const { projectId } = await s.create('sentiment');
    const suggestion = s.suggestPath(projectId);
    expect(isAbsolute(suggestion.path)).toBe(true);
    expect(suggestion.folder).toBe(s.access.roots[0]);
    expect(suggestion.path).toBe(join(s.access.roots[0]!, 'Sentiment-classifier.rnnproj'));
    const saved = await s.save(projectId, suggestion.path);
    expect(s.suggestPath(projectId)).toEqual({ path: saved.path, folder: s.access.roots[0] });
    // With no workspace (the desktop app, the CLI), the home folder rather than the process's cwd.
    const desktop = new ProjectStore({ dataDir: temp('data'), resourcesDir, autosaveMs: 60_000 });
    await desktop.init();
    expect(desktop.suggestPath((await desktop.create('tagger')).projectId).folder).toBe(homedir());
  });
});
