// Assembles the studio's main side for a browser: the services, the handlers over them, the event hub
// and the web host. The Electron shell assembles the same services and handlers behind IPC instead.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { EventHub } from './eventHub.js';
import { createHandlers } from './handlers.js';
import { rendererBuildDir } from './appInfo.js';
import { startWebHost, type WebHost, type WebHostOptions } from './webHost.js';
import { createServices } from './services.js';
import { workspaceOnly } from '../files/access.js';

export interface StudioHostOptions extends Pick<WebHostOptions, 'tls' | 'hostNames' | 'shownHost' | 'log'> {
  host?: string;
  port?: number;
  token?: string;
  dataDir?: string;
  rendererDir?: string;
  /** The one folder calls may read and write in (main/files), default defaultWorkspace(). */
  workspace?: string;
  /** Further folders the user allowed explicitly. */
  allowFolders?: string[];
}

export function defaultDataDir(): string {
  return process.env.RNN_STUDIO_DATA_DIR ?? join(homedir(), '.rnn-studio');
}

/**
 * The user's projects folder: where the web host reads and writes unless `serve --workspace` says otherwise.
 */
export function defaultWorkspace(): string {
  return process.env.RNN_STUDIO_WORKSPACE ?? join(homedir(), 'RNN Studio');
}

export async function startStudioHost(
  options: StudioHostOptions = {},
): Promise<WebHost & { rendererBuilt: boolean; workspace: readonly string[] }> {
  const events = new EventHub();
  const dataDir = options.dataDir ?? defaultDataDir();
  await mkdir(dataDir, { recursive: true });
  // The data folder (recent list, autosaves) is always allowed: what the studio saved there, it may read
  // back.
  const access = await workspaceOnly(options.workspace ?? defaultWorkspace(), [
    ...(options.allowFolders ?? []),
    dataDir,
  ]);
  const services = await createServices({ dataDir, events, host: 'web', access });
  const rendererDir = options.rendererDir ?? rendererBuildDir;
  const web = await startWebHost({
    rendererDir,
    handlers: createHandlers(services),
    events,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.tls !== undefined ? { tls: options.tls } : {}),
    ...(options.hostNames !== undefined ? { hostNames: options.hostNames } : {}),
    ...(options.shownHost !== undefined ? { shownHost: options.shownHost } : {}),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
  return {
    ...web,
    rendererBuilt: existsSync(join(rendererDir, 'index.html')),
    workspace: access.roots,
    async close() {
      await services.close();
      await web.close();
    },
  };
}
