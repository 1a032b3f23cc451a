// The main-side services behind the host API, created once per studio (web host or Electron window):
// project store, dataset import, training sessions, exports. Each domain contributes its handlers.
import { platform } from 'node:process';
import type { HostHandlers } from '../../core/api/contract.js';
import type { EventHub } from './eventHub.js';
import { studioVersion } from './appInfo.js';
import { availableBackends } from './backends.js';

export interface ServiceOptions {
  dataDir: string;
  events: EventHub;
  host: 'electron' | 'web';
}

export interface Services {
  handlers: Partial<HostHandlers>;
  /** Recently opened projects, for the native Open Recent menu. */
  recent(): { path: string; name: string }[];
  /** Names of open projects with unsaved changes, so closing the window can ask. */
  unsavedProjects(): string[];
  close(): Promise<void>;
}

export async function createServices(options: ServiceOptions): Promise<Services> {
  const handlers: Partial<HostHandlers> = {
    'app.info': async () => ({
      name: 'RNN Studio',
      version: studioVersion(),
      host: options.host,
      platform,
      backends: await availableBackends(),
    }),
  };
  return { handlers, recent: () => [], unsavedProjects: () => [], close: async () => {} };
}
