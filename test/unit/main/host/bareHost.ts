// What the web host tests start a host with when the calls themselves are not under test: a renderer
// folder holding only index.html, and handlers with no project open (only the calls a test passes).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlers } from '../../../../main/host/handlers.js';
import type { Services } from '../../../../main/host/services.js';

export function rendererFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>RNN Studio</title>');
  return dir;
}

export function bareHandlers(handlers: Services['handlers'] = { 'templates.list': async () => [] }) {
  return createHandlers({ handlers, recent: () => [], unsavedProjects: () => [], close: async () => {} });
}
