// The IPC adapter, driven with a fake ipcMain: only our window's top frame on app://studio may call, and
// a payload that does not match the contract is refused before any handler runs.
import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { CALL_CHANNEL, registerIpc } from '../../../electron/main/ipc.js';
import type { HostHandlers } from '../../../core/api/contract.js';
import { createHandlers } from '../../../main/host/handlers.js';
import { CURRENT_FORMAT_VERSION, ProjectSchema } from '../../../core/project/schema.js';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

function setup() {
  const listeners = new Map<string, Listener>();
  const fakeIpcMain = { handle: (channel: string, listener: Listener) => listeners.set(channel, listener) };
  const studioContents = { id: 1 } as unknown as WebContents;
  const projectCreate = vi.fn(async ({ templateId }: { templateId: string }) => ({
    projectId: 'p1',
    path: null,
    name: templateId,
    doc: ProjectSchema.parse({
      formatVersion: CURRENT_FORMAT_VERSION,
      name: templateId,
      task: 'language-model',
      graph: { nodes: [], edges: [] },
    }),
    dirty: false,
    diagnostics: [],
  }));
  const handlers: HostHandlers = createHandlers({
    handlers: { 'project.create': projectCreate },
    recent: () => [],
    unsavedProjects: () => [],
    close: async () => {},
  });
  registerIpc(fakeIpcMain as never, handlers, { trustedContents: () => [studioContents] });
  const invoke = (event: Partial<IpcMainInvokeEvent>, ...args: unknown[]) =>
    listeners.get(CALL_CHANNEL)!(event as IpcMainInvokeEvent, ...args);
  const topFrame = (url: string) => ({ url, parent: null });
  return { invoke, studioContents, topFrame, projectCreate };
}

describe('IPC adapter', () => {
  it('runs a well-formed call from the studio window', async () => {
    const { invoke, studioContents, topFrame, projectCreate } = setup();
    const reply = await invoke(
      { sender: studioContents, senderFrame: topFrame('app://studio/index.html') as never },
      'project.create',
      { templateId: 'char-lm' },
    );
    expect(reply).toMatchObject({ ok: true, result: { projectId: 'p1', name: 'char-lm' } });
    expect(projectCreate).toHaveBeenCalledOnce();
  });

  it('refuses a forged sender: another origin, another window, or a subframe', async () => {
    const { invoke, studioContents, topFrame, projectCreate } = setup();
    const forged = [
      { sender: studioContents, senderFrame: topFrame('https://evil.example/') },
      { sender: studioContents, senderFrame: topFrame('file:///tmp/evil.html') },
      { sender: { id: 2 }, senderFrame: topFrame('app://studio/index.html') },
      { sender: studioContents, senderFrame: { url: 'app://studio/index.html', parent: {} } },
      { sender: studioContents, senderFrame: null },
    ];
    for (const event of forged) {
      const reply = await invoke(event as never, 'project.create', { templateId: 'char-lm' });
      expect(reply).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'This page may not use the studio host API.' },
      });
    }
    expect(projectCreate).not.toHaveBeenCalled();
  });

  it('refuses malformed payloads and unknown calls, naming what is wrong', async () => {
    const { invoke, studioContents, topFrame, projectCreate } = setup();
    const event = { sender: studioContents, senderFrame: topFrame('app://studio/') as never };
    const wrongType = (await invoke(event, 'project.create', { templateId: 42 })) as {
      ok: boolean;
      error: { code: string; where: string };
    };
    expect(wrongType.ok).toBe(false);
    expect(wrongType.error.code).toBe('invalid-request');
    expect(wrongType.error.where).toContain('templateId');
    const extraField = (await invoke(event, 'project.create', { templateId: 'x', evil: true })) as {
      ok: boolean;
      error: { code: string };
    };
    expect(extraField.error.code).toBe('invalid-request');
    const unknown = (await invoke(event, 'fs.readFile', { path: '/etc/passwd' })) as {
      ok: boolean;
      error: { code: string; message: string };
    };
    expect(unknown.error).toMatchObject({ code: 'invalid-request', message: 'Unknown call "fs.readFile".' });
    expect(projectCreate).not.toHaveBeenCalled();
  });
});
