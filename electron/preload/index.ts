// The preload: puts one small, typed object on the page (`window.studio`, the HostApi of
// core/api/contract.ts) and nothing else. It forwards calls by name over one IPC channel; main checks
// the sender and the payload. Runs sandboxed, bundled as CommonJS.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isCallName, isEventName, type EventName, type HostApi, type HostError } from '../../core/api/contract.js';

const CALL_CHANNEL = 'studio:call';
const EVENT_CHANNEL = 'studio:event';

const studio: HostApi = {
  kind: 'electron',
  async call(name, request) {
    if (!isCallName(name)) throw new Error(`Unknown call "${String(name)}".`);
    const reply = (await ipcRenderer.invoke(CALL_CHANNEL, name, request)) as
      | { ok: true; result: never }
      | { ok: false; error: HostError };
    if (!reply.ok) {
      const error = new Error(reply.error.where ? `${reply.error.message} (${reply.error.where})` : reply.error.message);
      Object.assign(error, { error: reply.error });
      throw error;
    }
    return reply.result;
  },
  on(name, listener) {
    if (!isEventName(name)) throw new Error(`Unknown event "${String(name)}".`);
    const wrapped = (_event: IpcRendererEvent, eventName: EventName, payload: unknown) => {
      if (eventName === name) listener(payload as Parameters<typeof listener>[0]);
    };
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
};

contextBridge.exposeInMainWorld('studio', studio);
