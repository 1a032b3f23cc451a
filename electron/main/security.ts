// Electron's security checklist, applied to every web contents the app ever creates: no navigation away
// from the studio, no new windows, no webviews, no permissions (camera, notifications, …), and links to
// the outside opened in the user's browser instead of inside the app.
import { app, session, shell, type WebContents } from 'electron';
import { APP_ORIGIN } from './ipc.js';

function isOurPage(url: string, devOrigin?: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`) || (devOrigin !== undefined && url.startsWith(devOrigin));
}

export function hardenContents(contents: WebContents, devOrigin?: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isOurPage(url, devOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOurPage(url, devOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function applySecurityPolicy(devOrigin?: string): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, devOrigin));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
