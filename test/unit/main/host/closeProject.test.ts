// project.close over the services the web host and Electron run (createServices): a project the user
// replaced (saved, or its changes discarded on purpose) leaves the host and the recovery folder; one left
// open by a crash or kill stays recoverable, newest first; a project with a run training is not closed
// until the run is stopped, and the stopped run is in its history.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HostHandlers } from '../../../../core/api/contract.js';
import { dispatch } from '../../../../main/host/dispatch.js';
import { EventHub } from '../../../../main/host/eventHub.js';
import { createServices, type Services } from '../../../../main/host/services.js';
import { resourcesDir } from '../../../../main/host/appInfo.js';
import { ProjectStore } from '../../../../main/project/index.js';
import { startRunProcess } from '../../../../main/training/runProcess.js';

const toyWorkload = fileURLToPath(new URL('../../../fixtures/training/toyWorkload.ts', import.meta.url));
const open: Services[] = [];
afterEach(async () => {
  for (const services of open.splice(0)) await services.close();
});

/** The studio's services on `dataDir`; autosave soon after an edit, so tests wait on the file itself. */
async function studio(dataDir: string, launchRun?: Parameters<typeof createServices>[0]['launchRun']) {
  const events = new EventHub();
  const services = await createServices({
    dataDir,
    events,
    host: 'web',
    autosaveMs: 20,
    ...(launchRun ? { launchRun } : {}),
  });
  open.push(services);
  const h = services.handlers as HostHandlers;
  const call = async (name: string, payload: unknown) => dispatch(h, name, payload);
  return { h, call, events, services };
}

const autosaved = (dataDir: string, id: string) => existsSync(join(dataDir, 'recovery', `${id}.json`));

/** Creates a project from a template and edits it (renames it), as the UI's first sync would. */
async function editedProject(h: HostHandlers, templateId: string, name: string): Promise<string> {
  const { projectId, doc } = await h['project.create']({ templateId });
  await h['project.update']({ projectId, doc: { ...doc, name } });
  return projectId;
}

describe('closing a project at the host', () => {
  it('a replaced project leaves the host, its autosave deleted; a restart does not offer it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rnn-close-'));
    const { h, call } = await studio(dataDir);
    const discarded = await editedProject(h, 'sentiment', 'Discarded work');
    await vi.waitFor(() => expect(autosaved(dataDir, discarded)).toBe(true));

    // New → Leave anyway: the next project opens, then the replaced one is closed.
    const next = await h['project.create']({ templateId: 'tagger' });
    expect(await call('project.close', { projectId: discarded })).toEqual({ ok: true, result: { ok: true } });
    expect(autosaved(dataDir, discarded)).toBe(false);
    expect(existsSync(join(dataDir, 'recovery', `${discarded}.rnnproj`))).toBe(false);
    expect(await call('project.get', { projectId: discarded })).toMatchObject({
      ok: false,
      error: { code: 'not-found', where: 'projectId' },
    });
    expect(await call('project.get', { projectId: next.projectId })).toMatchObject({ ok: true });

    const restarted = await studio(dataDir);
    expect((await restarted.h['project.recoverable']({})).map((r) => r.name)).not.toContain('Discarded work');
  });

  it('an autosave a crash or kill left is offered, newest first, and can be discarded', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rnn-orphan-'));
    const crashed = await studio(dataDir);
    const older = await editedProject(crashed.h, 'sentiment', 'Older work');
    await vi.waitFor(() => expect(autosaved(dataDir, older)).toBe(true));
    const newer = await editedProject(crashed.h, 'tagger', 'Newer work');
    await vi.waitFor(() => expect(autosaved(dataDir, newer)).toBe(true));
    const kept = await editedProject(crashed.h, 'copy-task', 'Replaced work');
    await vi.waitFor(() => expect(autosaved(dataDir, kept)).toBe(true));
    await crashed.h['project.close']({ projectId: kept });
    // The process dies here: nobody closes the other two. The next start finds them.
    open.splice(open.indexOf(crashed.services), 1);

    const next = await studio(dataDir);
    const listed = await next.h['project.recoverable']({});
    expect(listed.map((r) => [r.id, r.name])).toEqual([
      [newer, 'Newer work'],
      [older, 'Older work'],
    ]);
    expect(await next.call('project.discardRecovery', { id: older })).toMatchObject({ ok: true });
    expect((await next.h['project.recoverable']({})).map((r) => r.name)).toEqual(['Newer work']);
    const recovered = await next.h['project.recover']({ id: newer });
    expect(recovered).toMatchObject({ name: 'Newer work', dirty: true });
  });

  it('refuses to close a project while a run trains; once stopped, the run is kept, it closes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rnn-close-run-'));
    // The studio's own wiring and a real engine process; the toy workload keeps the run small and long.
    const { h, call } = await studio(dataDir, (spec, onMessage, options) =>
      startRunProcess(
        { ...spec, workload: { module: toyWorkload, options: { epochs: 500 } } },
        onMessage,
        options,
      ),
    );
    const projectId = await editedProject(h, 'adding-problem', 'Training now');
    const { runId } = await h['training.start']({ projectId, options: { backend: 'cpu' } });
    await vi.waitFor(async () => expect((await h['runs.list']({ projectId }))[0]?.status).toBe('running'), {
      timeout: 60_000,
      interval: 50,
    });

    const refused = await call('project.close', { projectId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input', where: 'projectId' } });
    expect(!refused.ok && refused.error.message).toContain(`"Training now" is still training (run ${runId})`);
    expect(!refused.ok && refused.error.message).toContain('stop the run first');
    // Nothing was lost: the project is still open with its autosave, and its run goes on.
    expect((await h['project.get']({ projectId })).name).toBe('Training now');
    expect(autosaved(dataDir, projectId)).toBe(true);
    expect((await h['runs.list']({ projectId }))[0]?.status).toBe('running');

    expect(await call('training.stop', { runId })).toMatchObject({ ok: true });
    // The stopped run is recorded in the project itself (summary and history), not only reported.
    await vi.waitFor(
      async () => {
        const { doc } = await h['project.get']({ projectId });
        expect(doc.runs.find((r) => r.id === runId)?.status).toBe('stopped');
        const history = await h['runs.history']({ projectId, runId });
        expect(history.at(-1)).toMatchObject({ type: 'run-end', status: 'stopped' });
      },
      { timeout: 60_000, interval: 50 },
    );
    // Ended: closing now waits for the engine process to write its last record and exit, then closes.
    expect(await call('project.close', { projectId })).toEqual({ ok: true, result: { ok: true } });
    expect(autosaved(dataDir, projectId)).toBe(false);
    expect(await call('project.get', { projectId })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  }, 120_000);

  it('never leaves an autosave behind when closed while that autosave is being written', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rnn-close-race-'));
    const store = new ProjectStore({ dataDir, resourcesDir, autosaveMs: 60_000 });
    await store.init();
    const { projectId, doc } = await store.create('sentiment');
    store.update(projectId, { ...doc, name: 'Closing' });
    const writing = store.flushAutosaves(); // starts writing the autosave, and is not awaited
    await store.close(projectId);
    await writing;
    expect(autosaved(dataDir, projectId)).toBe(false);
    expect(await store.recoverable()).toEqual([]);
  });
});
