// Native menus. Commands that need a file ask for it with a native dialog here, then tell the renderer
// what to do through the `menu.command` event; the renderer owns the project being edited.
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../../core/api/contract.js';

type MenuCommand = EventPayload<'menu.command'>;
const projectFilter = [{ name: 'RNN Studio project', extensions: ['rnnproj'] }];

export interface MenuContext {
  send(command: MenuCommand): void;
  recent(): { path: string; name: string }[];
}

async function askOpen(
  window: BrowserWindow | undefined,
  filters: Electron.FileFilter[],
): Promise<string | undefined> {
  const options = { properties: ['openFile' as const], filters };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? undefined : result.filePaths[0];
}

async function askSave(window: BrowserWindow | undefined): Promise<string | undefined> {
  const options = { filters: projectFilter, defaultPath: 'untitled.rnnproj' };
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled ? undefined : result.filePath;
}

export function buildMenu(context: MenuContext): Menu {
  const focused = () => BrowserWindow.getFocusedWindow() ?? undefined;
  const withPath = (command: MenuCommand['command'], ask: () => Promise<string | undefined>) => async () => {
    const path = await ask();
    if (path) context.send({ command, path });
  };
  const recentItems: MenuItemConstructorOptions[] = context.recent().map((project) => ({
    label: `${project.name} — ${project.path}`,
    click: () => context.send({ command: 'open-recent', path: project.path }),
  }));
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New', accelerator: 'CmdOrCtrl+N', click: () => context.send({ command: 'new' }) },
        {
          label: 'Open…',
          accelerator: 'CmdOrCtrl+O',
          click: withPath('open', () => askOpen(focused(), projectFilter)),
        },
        {
          label: 'Open Recent',
          submenu: recentItems.length > 0 ? recentItems : [{ label: 'No recent projects', enabled: false }],
        },
        { type: 'separator' },
        { label: 'Save', accelerator: 'CmdOrCtrl+S', click: () => context.send({ command: 'save' }) },
        {
          label: 'Save As…',
          accelerator: 'CmdOrCtrl+Shift+S',
          click: withPath('save-as', () => askSave(focused())),
        },
        { type: 'separator' },
        {
          label: 'Import Data…',
          click: withPath('import', () =>
            askOpen(focused(), [
              { name: 'Data', extensions: ['csv', 'tsv', 'txt', 'jsonl', 'json'] },
              { name: 'Project', extensions: ['rnnproj', 'json'] },
            ]),
          ),
        },
        { label: 'Export…', click: () => context.send({ command: 'export' }) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => context.send({ command: 'undo' }) },
        { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', click: () => context.send({ command: 'redo' }) },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: `RNN Studio ${app.getVersion()}`, enabled: false }] },
  ];
  return Menu.buildFromTemplate(template);
}
