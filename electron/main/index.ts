// The desktop app's entry: one window on app://studio, the host API over checked IPC, native menus, and
// training runs forked into utility processes by the training service.
import type { BrowserWindow } from 'electron';
import { app, dialog, ipcMain, Menu } from 'electron';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { EventHub } from '../../main/host/eventHub.js';
import { createHandlers } from '../../main/host/handlers.js';
import { createServices, type Services } from '../../main/host/services.js';
import { buildMenu } from './menu.js';
import { EVENT_CHANNEL, registerIpc } from './ipc.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { applySecurityPolicy } from './security.js';
import { createStudioWindow } from './window.js';
import { utilityLauncher } from './utilityLauncher.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '..', '..', 'renderer');
const preloadDir = join(here, '..', 'preload');
// Set by `electron-vite dev` only; a packaged app always loads its own files.
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const devOrigin = devUrl ? new URL(devUrl).origin : undefined;

registerAppScheme();
app.enableSandbox();

let window: BrowserWindow | null = null;
let services: Services | null = null;

async function start(): Promise<void> {
  applySecurityPolicy(devOrigin);
  serveRenderer(rendererDir);
  const events = new EventHub();
  services = await createServices({
    dataDir: app.getPath('userData'),
    events,
    host: 'electron',
    launchRun: utilityLauncher(join(here, 'engineProcess.js')),
  });
  registerIpc(ipcMain, createHandlers(services), {
    trustedContents: () => (window ? [window.webContents] : []),
    ...(devOrigin ? { devOrigin } : {}),
  });
  events.subscribe((name, payload) => window?.webContents.send(EVENT_CHANNEL, name, payload));
  const refreshMenu = () =>
    Menu.setApplicationMenu(
      buildMenu({
        send: (command) => events.emit('menu.command', command),
        recent: () => services?.recent() ?? [],
      }),
    );
  refreshMenu();
  window = createStudioWindow(preloadDir, devUrl ?? 'app://studio/index.html');
  window.on('focus', refreshMenu);
  window.on('close', (event) => {
    // Closing with unsaved changes asks first; the project store knows what is unsaved.
    const unsaved = services?.unsavedProjects() ?? [];
    if (unsaved.length === 0 || !window) return;
    const choice = dialog.showMessageBoxSync(window, {
      type: 'warning',
      buttons: ['Keep editing', 'Close without saving'],
      defaultId: 0,
      cancelId: 0,
      message: `Unsaved changes in ${unsaved.join(', ')}.`,
      detail: 'Your edits are kept in the recovery folder and offered again at the next start.',
    });
    if (choice === 0) event.preventDefault();
  });
  window.on('closed', () => (window = null));
}

app.on('window-all-closed', () => {
  void services?.close().finally(() => app.quit());
});

app.whenReady().then(start, (error: unknown) => {
  dialog.showErrorBox('RNN Studio could not start', String(error));
  app.quit();
});
