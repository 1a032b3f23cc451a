// Assembles the studio's main side for a browser: the services, the handlers over them, the event hub
// and the web host. The Electron shell assembles the same services and handlers behind IPC instead.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { EventHub } from './eventHub.js';
import { createHandlers } from './handlers.js';
import { rendererBuildDir } from './appInfo.js';
import { startWebHost, type WebHost, type WebHostOptions } from './webHost.js';
import { createServices } from './services.js';

export interface StudioHostOptions extends Pick<WebHostOptions, 'tls' | 'hostNames' | 'shownHost' | 'log'> {
  host?: string;
  port?: number;
  token?: string;
  dataDir?: string;
  rendererDir?: string;
}

export function defaultDataDir(): string {
  return process.env.RNN_STUDIO_DATA_DIR ?? join(homedir(), '.rnn-studio');
}

export async function startStudioHost(
  options: StudioHostOptions = {},
): Promise<WebHost & { rendererBuilt: boolean }> {
  const events = new EventHub();
  const services = await createServices({
    dataDir: options.dataDir ?? defaultDataDir(),
    events,
    host: 'web',
  });
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
    async close() {
      await services.close();
      await web.close();
    },
  };
}
