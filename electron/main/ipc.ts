// The IPC adapter: the renderer's host API calls arrive on one channel, are checked (the sender must be
// our own window's top frame showing our own page; the call and its payload must match the contract)
// and are run by the same handlers the web host uses. Electron is passed in, so tests drive it with a
// fake ipcMain.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { HostHandlers } from '../../core/api/contract.js';
import { dispatch, type DispatchResult } from '../../main/host/dispatch.js';

// The channel names are the preload's; main imports them so the two cannot drift.
export { CALL_CHANNEL, EVENT_CHANNEL } from '../preload/bridge.js';
import { CALL_CHANNEL } from '../preload/bridge.js';

/** The page the studio's window shows; nothing else may call the host API. */
export const APP_ORIGIN = 'app://studio';

export interface SenderPolicy {
  /** The web contents of the studio window(s) allowed to call. */
  trustedContents(): WebContents[];
  /** Extra origin allowed during development (the electron-vite dev server), if any. */
  devOrigin?: string;
}

export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  policy: SenderPolicy,
): boolean {
  const frame = event.senderFrame;
  if (!frame || !policy.trustedContents().includes(event.sender)) return false;
  // Only the top frame: an iframe, even one of ours, never gets the host API.
  if (frame.parent !== null) return false;
  let origin: string;
  try {
    const url = new URL(frame.url);
    origin = url.protocol === 'app:' ? `app://${url.host}` : url.origin;
  } catch {
    return false;
  }
  return origin === APP_ORIGIN || (policy.devOrigin !== undefined && origin === policy.devOrigin);
}

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  handlers: HostHandlers,
  policy: SenderPolicy,
): void {
  ipcMain.handle(CALL_CHANNEL, async (event, name: unknown, payload: unknown): Promise<DispatchResult> => {
    if (!isTrustedSender(event, policy)) {
      return {
        ok: false,
        error: { code: 'forbidden', message: 'This page may not use the studio host API.' },
      };
    }
    return dispatch(handlers, name, payload);
  });
}
