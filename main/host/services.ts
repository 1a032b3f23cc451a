// The main-side services behind the host API, created once per studio (web host or Electron window):
// project store, dataset import, training sessions, inference and exports. Each domain contributes its
// handlers; handlers.ts completes the table.
import { platform } from 'node:process';
import type { EventPayload, HostHandlers } from '../../core/api/contract.js';
import type { FileAccess } from '../files/access.js';
import { ProjectStore } from '../project/index.js';
import { TrainingService, type TrainingServiceOptions } from '../training/service.js';
import { dataHandlers } from '../data/handlers.js';
import { inferenceHandlers } from '../inference/handlers.js';
import { fileHandlers } from '../inference/fileHandlers.js';
import { dirname } from 'node:path';
import type { EventHub } from './eventHub.js';
import { resourcesDir, studioVersion } from './appInfo.js';
import { availableBackends } from './backends.js';
import { throttleBatches } from './liveThrottle.js';
import { projectHandlers } from './handlers/projectHandlers.js';
import { trainingHandlers } from './handlers/trainingHandlers.js';

export interface ServiceOptions {
  dataDir: string;
  events: EventHub;
  host: 'electron' | 'web';
  /** Delay between an edit and its autosave (ms). */
  autosaveMs?: number;
  /** How a run's engine process starts: a forked Node process by default, a utilityProcess in Electron. */
  launchRun?: TrainingServiceOptions['launch'];
  /**
   * Which paths calls may read and write (main/files): the web host's workspace; any regular file when
   * absent.
   */
  access?: FileAccess;
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
  const store = new ProjectStore({
    dataDir: options.dataDir,
    resourcesDir,
    autosaveMs: options.autosaveMs ?? 2000,
    ...(options.access ? { access: options.access } : {}),
  });
  await store.init();
  const training = new TrainingService({
    store,
    ...(options.launchRun ? { launch: options.launchRun } : {}),
  });
  const live = throttleBatches<EventPayload<'training.event'>>((item) =>
    options.events.emit('training.event', item),
  );
  training.onEvent(live);

  const handlers: Partial<HostHandlers> = {
    'app.info': async () => ({
      name: 'RNN Studio',
      version: studioVersion(),
      host: options.host,
      platform,
      backends: await availableBackends(),
    }),
    ...projectHandlers(store, { training }),
    ...trainingHandlers(training),
    ...dataHandlers({
      store,
      access: store.access,
      events: options.events,
      projectDir: (projectId) => {
        const path = store.get(projectId).path;
        return path ? dirname(path) : undefined;
      },
    }),
    ...inferenceHandlers(store),
    ...fileHandlers(store),
  };
  return {
    handlers,
    recent: () => store.recent(),
    unsavedProjects: () => store.unsaved(),
    async close() {
      await training.dispose();
      await store.flushAutosaves();
      await store.dispose();
    },
  };
}
