// The web host's front door: the token on every request and socket, same origin only, known Host only,
// files only from the renderer folder, and host API calls checked against the contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../../../main/host/webHost.js';
import { EventHub } from '../../../../main/host/eventHub.js';
import { bareHandlers, rendererFolder } from './bareHost.js';

const token = 'a'.repeat(48);
let web: WebHost;
const events = new EventHub();

beforeAll(async () => {
  const dir = rendererFolder('rnn-web-');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'outside-secret.txt'), 'classified-bytes');
  const handlers = bareHandlers({
    'templates.list': async () => [
      { id: 'char-lm', title: 'Char LM', description: 'd', task: 'language-model' },
    ],
  });
  web = await startWebHost({ rendererDir: dir, handlers, events, token, port: 0 });
});
afterAll(() => web.close());

/** A raw request, so Host and Origin can be forged the way a hostile page or rebinding DNS would. */
function raw(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: web.port,
        path,
        method,
        headers: { host: `127.0.0.1:${web.port}`, ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

describe('web host', () => {
  it('binds 127.0.0.1 by default and prints a URL carrying the token', () => {
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/?token=${token}`);
  });

  it('answers 401 without the token, and serves the page with it, under a strict CSP', async () => {
    expect((await raw('/')).status).toBe(401);
    expect((await raw('/?token=wrong')).status).toBe(401);
    const page = await raw(`/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('RNN Studio');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(page.headers['set-cookie'])).toContain('HttpOnly; SameSite=Strict');
    // Assets load with the cookie the page set.
    expect((await raw('/assets/app.js', { cookie: `rnn_studio_token=${token}` })).status).toBe(200);
  });

  it('refuses other origins and unknown Host headers even with the token', async () => {
    expect((await raw(`/?token=${token}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await raw(`/?token=${token}`, { host: 'evil.example' })).status).toBe(403);
  });

  it('never serves files outside the renderer folder', async () => {
    const res = await raw(`/..%2Foutside-secret.txt?token=${token}`);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('classified-bytes');
  });

  it('runs calls with the bearer token only, and checks their payloads', async () => {
    const post = (headers: Record<string, string>, body = '{}') =>
      raw('/api/call/templates.list', { 'content-type': 'application/json', ...headers }, 'POST', body);
    expect((await post({})).status).toBe(401);
    // A cookie alone (what another page could make the browser send) is not enough for a call.
    expect((await post({ cookie: `rnn_studio_token=${token}` })).status).toBe(401);
    const ok = await post({ authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({
      ok: true,
      result: [{ id: 'char-lm', title: 'Char LM', description: 'd', task: 'language-model' }],
    });
    const malformed = await post({ authorization: `Bearer ${token}` }, '{"unexpected": 1}');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body).error.code).toBe('invalid-request');
    const notJson = await post({ authorization: `Bearer ${token}` }, '{oops');
    expect(JSON.parse(notJson.body).error.message).toMatch(/not JSON/);
    const missing = await raw('/api/call/project.recent', { authorization: `Bearer ${token}` }, 'POST', '{}');
    expect(JSON.parse(missing.body).error.message).toContain('"project.recent" is not available');
  });

  it('streams events only to sockets that present the token', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${web.port}/api/events`);
    const refusedCode = await new Promise<string>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      refused.on('open', () => resolve('open'));
    });
    expect(refusedCode).toBe('401');

    const socket = new WebSocket(`ws://127.0.0.1:${web.port}/api/events?token=${token}`);
    await new Promise((resolve) => socket.on('open', resolve));
    const received = new Promise<unknown>((resolve) =>
      socket.on('message', (data) => resolve(JSON.parse(String(data)))),
    );
    events.emit('progress', { id: 'import-1', label: 'Importing reviews.csv', fraction: 0.5 });
    expect(await received).toEqual({
      name: 'progress',
      payload: { id: 'import-1', label: 'Importing reviews.csv', fraction: 0.5 },
    });
    socket.close();
  });
});
