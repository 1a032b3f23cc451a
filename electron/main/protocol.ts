// Serves the built renderer on app://studio/ instead of file://, so the page has a real origin (checked
// by the IPC adapter), a strict CSP header, and can read nothing outside its own folder.
import { protocol } from 'electron';
import { contentSecurityPolicy, readStaticFile } from '../../main/host/staticFiles.js';

export function registerAppScheme(): void {
  // Must run before the app is ready.
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'studio' ? await readStaticFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: {
        'content-type': file.contentType,
        // No sockets in Electron: events come over IPC.
        'content-security-policy': contentSecurityPolicy(),
        'x-content-type-options': 'nosniff',
      },
    });
  });
}
