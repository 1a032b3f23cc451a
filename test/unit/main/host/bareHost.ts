// What the web host tests start a host with when the calls themselves are not under test (a renderer
// folder holding only index.html, handlers with no project open), and a host API call as the web client
// makes it.
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

/** One host API call over HTTP with the token, as the web client makes it: the status and the JSON answer. */
export async function callHost(
  port: number,
  token: string,
  name: string,
  payload: unknown,
): Promise<{ status: number; answer: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}/api/call/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: response.status, answer: await response.json() };
}
