// The Electron implementation of the host API, over one invoke channel and one event channel. Kept apart
// from the preload's entry so tests can drive it with a fake ipcRenderer.
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { checkAnswer, checkEvent } from '../../core/api/answers.js';
import { isCallName, isEventName, type HostApi, type HostError } from '../../core/api/contract.js';

export const CALL_CHANNEL = 'studio:call';
export const EVENT_CHANNEL = 'studio:event';

type Reply = { ok: true; result: unknown } | { ok: false; error: HostError };

export function createElectronBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): HostApi {
  return {
    kind: 'electron',
    async call(name, request) {
      if (!isCallName(name)) throw new Error(`Unknown call "${String(name)}".`);
      const reply = (await ipc.invoke(CALL_CHANNEL, name, request)) as Reply;
      if (!reply.ok) {
        const error = new Error(
          reply.error.where ? `${reply.error.message} (${reply.error.where})` : reply.error.message,
        );
        Object.assign(error, { error: reply.error });
        throw error;
      }
      // Checked as the web client checks it: the renderer gets the contract's shapes or a clear error.
      return checkAnswer(name, reply.result);
    },
    on(name, listener) {
      if (!isEventName(name)) throw new Error(`Unknown event "${String(name)}".`);
      const wrapped = (_event: IpcRendererEvent, eventName: unknown, payload: unknown) => {
        if (eventName !== name) return;
        let checked: Parameters<typeof listener>[0];
        try {
          checked = checkEvent(name, payload);
        } catch (error) {
          // One malformed event is dropped (and said), not allowed to stop the stream.
          console.error(error);
          return;
        }
        listener(checked);
      };
      ipc.on(EVENT_CHANNEL, wrapped as never);
      return () => void ipc.removeListener(EVENT_CHANNEL, wrapped as never);
    },
  };
}
