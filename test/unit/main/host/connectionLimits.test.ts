// Connection limits: a client that sends its headers too slowly is answered 408 and closed, event
// sockets past the limit are refused with 503 (the ones already open keep working), and connections past
// the server's limit are closed while calls already connected are still answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as netConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { DEFAULT_LIMITS, startWebHost, type WebHost } from '../../../../main/host/webHost.js';
import { EventHub } from '../../../../main/host/eventHub.js';
import { rawExchange, requestHead } from './rawHttp.js';
import { bareHandlers, rendererFolder } from './bareHost.js';

const token = 'c'.repeat(48);
let web: WebHost;
const events = new EventHub();

beforeAll(async () => {
  web = await startWebHost({
    rendererDir: rendererFolder('rnn-web-limits-'),
    handlers: bareHandlers(),
    events,
    token,
    port: 0,
    limits: { headersTimeoutMs: 400, maxEventSockets: 3, maxConnections: 8 },
  });
});
afterAll(() => web.close());

const host = () => `127.0.0.1:${web.port}`;

async function call(): Promise<number | null> {
  const body = '{}';
  const answer = await rawExchange({
    port: web.port,
    send:
      requestHead('POST', '/api/call/templates.list', {
        host: host(),
        authorization: `Bearer ${token}`,
        'content-length': body.length,
      }) + body,
  });
  return answer.status;
}

function openSocket(): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://${host()}/api/events?token=${token}`, { headers: { host: host() } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

function connected(): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = netConnect(web.port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => undefined);
  });
}

describe('web host connection limits', () => {
  it('states its defaults: 20 s for headers, 256 connections, 32 event sockets', () => {
    expect(DEFAULT_LIMITS).toMatchObject({
      headersTimeoutMs: 20_000,
      maxConnections: 256,
      maxEventSockets: 32,
    });
  });

  it('answers 408 to headers that never finish, and closes the connection', async () => {
    // Half a request head, then silence: the server must not wait forever (a slow-header attack).
    const answer = await rawExchange({
      port: web.port,
      send: `GET / HTTP/1.1\r\nHost: ${host()}\r\nX-Slow: `,
      timeoutMs: 30_000,
    });
    expect(answer.ended).not.toBe('timeout');
    expect(answer.status).toBe(408);
    expect(await call()).toBe(200);
  });

  it('refuses event sockets past the limit with 503 and keeps the open ones working', async () => {
    const open = await Promise.all([openSocket(), openSocket(), openSocket()]);
    expect(open.every((s) => s instanceof WebSocket)).toBe(true);
    expect(await openSocket()).toBe(503);
    const first = open[0] as WebSocket;
    const heard = new Promise<string>((resolve) => first.once('message', (data) => resolve(String(data))));
    events.emit('progress', { id: 'limits', label: 'still listening', fraction: 0.5 });
    expect(JSON.parse(await heard)).toMatchObject({
      name: 'progress',
      payload: { label: 'still listening' },
    });
    for (const s of open) (s as WebSocket).close();
    // Once they close, a new one is taken again.
    await expect
      .poll(async () => {
        const again = await openSocket();
        if (again instanceof WebSocket) again.close();
        return again instanceof WebSocket;
      })
      .toBe(true);
  });

  it('closes connections past its limit and still answers once they go', async () => {
    const idle = await Promise.all(Array.from({ length: 8 }, connected));
    // The ninth is accepted by the kernel and closed by the server at once.
    const refused = await rawExchange({
      port: web.port,
      send: requestHead('GET', '/', { host: host() }),
      timeoutMs: 10_000,
    });
    expect(refused.status).toBeNull();
    expect(refused.ended).not.toBe('timeout');
    for (const socket of idle) socket.destroy();
    await expect.poll(call).toBe(200);
  });
});
