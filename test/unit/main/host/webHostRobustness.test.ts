// The web host answers whatever a client sends: malformed targets and encodings get 400, oversized
// headers 431, bodies over the limit 413 before they are read, and a socket that misbehaves is dropped
// without disturbing anyone else. Each case here once crashed or misanswered the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { connect as netConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { startWebHost, MAX_BODY_BYTES, type WebHost } from '../../../../main/host/webHost.js';
import { EventHub } from '../../../../main/host/eventHub.js';
import { rawExchange, requestHead, websocketHeaders } from './rawHttp.js';
import { bareHandlers, rendererFolder } from './bareHost.js';

const token = 'b'.repeat(48);
const limit = 1024 * 1024;
let web: WebHost;
const logged: string[] = [];

beforeAll(async () => {
  web = await startWebHost({
    rendererDir: rendererFolder('rnn-web-robust-'),
    handlers: bareHandlers(),
    events: new EventHub(),
    token,
    port: 0,
    maxBodyBytes: limit,
    log: (text) => logged.push(text),
  });
});
afterAll(() => web.close());

const host = () => `127.0.0.1:${web.port}`;
const auth = () => ({ host: host(), authorization: `Bearer ${token}` });

/** A valid call still answers: the server is up and serving after whatever came before. */
async function stillServing(): Promise<void> {
  const body = '{}';
  const answer = await rawExchange({
    port: web.port,
    send:
      requestHead('POST', '/api/call/templates.list', { ...auth(), 'content-length': body.length }) + body,
  });
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toEqual({ ok: true, result: [] });
}

describe('web host under malformed requests', () => {
  it.each(['//', 'http://[', '//evil.example/x', '*'])(
    'answers 400 to the request target %s',
    async (target) => {
      const answer = await rawExchange({
        port: web.port,
        send: requestHead('GET', target, { host: host() }),
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error.message).toContain('request target must be a path');
      await stillServing();
    },
  );

  it('answers 400, not 500, to malformed percent-encoding in a call name', async () => {
    const answer = await rawExchange({
      port: web.port,
      send: requestHead('POST', '/api/call/%E0%A4%A', { ...auth(), 'content-length': 2 }) + '{}',
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toEqual({
      code: 'invalid-request',
      message: 'The call name in the URL is not valid percent-encoding.',
    });
  });

  it('answers 431 to headers over 16 KiB and keeps serving', async () => {
    const answer = await rawExchange({
      port: web.port,
      send: requestHead('GET', '/', { host: host(), 'x-filler': 'x'.repeat(64 * 1024) }),
    });
    expect(answer.status).toBe(431);
    await stillServing();
  });

  it('refuses a declared body over the limit with 413 before any of it is sent', async () => {
    // Only the head goes out: an answer proves the server decided without waiting for the 10 GB, and the
    // server, not the client, ends the connection it will not read.
    const answer = await rawExchange({
      port: web.port,
      send: requestHead('POST', '/api/call/templates.list', { ...auth(), 'content-length': 10 * 1024 ** 3 }),
      untilClose: true,
    });
    expect(answer.status).toBe(413);
    expect(answer.ended).toBe('closed');
    expect(JSON.parse(answer.body).error.message).toBe(
      'The request body is 10737.4 MB, more than the 1 MB this studio accepts in one call.',
    );
    await stillServing();
  });

  it('stops reading a chunked body as soon as it passes the limit, and answers 413', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = Array.from({ length: 20 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const answer = await rawExchange({
      port: web.port,
      send: [
        requestHead('POST', '/api/call/templates.list', { ...auth(), 'transfer-encoding': 'chunked' }),
        ...chunks,
      ],
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.message).toBe(
      'A request body without a Content-Length may be at most 1 MB; ' +
        'send a larger one with its Content-Length (up to 1 MB).',
    );
    await stillServing();
  });

  it(
    'answers 503 when bodies being received at once ' + 'would pass their budget, and frees it after',
    async () => {
      const budgeted = await startWebHost({
        rendererDir: tmpdir(),
        handlers: bareHandlers(),
        events: new EventHub(),
        token,
        port: 0,
        maxBodyBytes: limit,
        maxBodyBytesInFlight: 1.5 * limit,
      });
      try {
        const head = (length: number) =>
          requestHead('POST', '/api/call/templates.list', {
            host: `127.0.0.1:${budgeted.port}`,
            authorization: `Bearer ${token}`,
            'content-length': length,
          });
        // The first upload declares 0.9 MB and waits for 100 Continue, which the server writes as it takes
        // the request up (and reserves its bytes) in the same turn: then a second of that size must wait.
        const first = netConnect(budgeted.port, '127.0.0.1');
        let firstText = '';
        const arrived = (what: string) =>
          new Promise<void>((resolve) => {
            const check = () => (firstText.includes(what) ? resolve() : first.once('data', onData));
            const onData = (data: Buffer) => {
              firstText += data.toString();
              check();
            };
            check();
          });
        const body = `{"x":"${'a'.repeat(0.9 * limit - 8)}"}`;
        first.write(
          requestHead('POST', '/api/call/templates.list', {
            host: `127.0.0.1:${budgeted.port}`,
            authorization: `Bearer ${token}`,
            'content-length': body.length,
            expect: '100-continue',
          }),
        );
        await arrived('100 Continue');
        const second = await rawExchange({ port: budgeted.port, send: head(body.length) });
        expect(second.status).toBe(503);
        expect(second.head.toLowerCase()).toContain('retry-after: 5');
        expect(JSON.parse(second.body).error.message).toContain('receiving other large requests right now');
        first.write(body);
        await arrived('HTTP/1.1 400');
        first.destroy();
        // Its answer sent, the first body's reservation is free again.
        const third = await rawExchange({ port: budgeted.port, send: head(2) + '{}' });
        expect(third.status).toBe(200);
      } finally {
        await budgeted.close();
      }
    },
  );

  it('states the default limit: the contract’s largest upload plus 1 MiB for the rest of the call', () => {
    expect(MAX_BODY_BYTES).toBe(280_000_000 + 1024 * 1024);
  });

  it('answers 400 to a Content-Length that is not a number, and survives a body cut short', async () => {
    const bad = await rawExchange({
      port: web.port,
      send: requestHead('POST', '/api/call/templates.list', { ...auth(), 'content-length': 'lots' }),
    });
    expect(bad.status).toBe(400);
    const cut = await rawExchange({
      port: web.port,
      send: requestHead('POST', '/api/call/templates.list', { ...auth(), 'content-length': 1000 }) + '{"a":',
      endAfterSend: true,
    });
    expect(cut.status === null || cut.status === 400).toBe(true);
    await stillServing();
    expect(logged).toEqual([]);
  });

  it.each(['//', 'http://[', '/api/events%E0%A4%A'])(
    'refuses a WebSocket upgrade to %s with 400',
    async (target) => {
      const answer = await rawExchange({
        port: web.port,
        send: requestHead('GET', target, { host: host(), ...websocketHeaders }),
      });
      expect(answer.status).toBe(target.startsWith('/api') ? 401 : 400);
      await stillServing();
    },
  );

  it('does not fall over when a browser opens ws://host:port//', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${web.port}//`);
    const outcome = await new Promise<string>((resolve) => {
      socket.on('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
      socket.on('error', (error) => resolve(error.message));
      socket.on('open', () => resolve('open'));
    });
    expect(outcome).toBe('400');
    await stillServing();
  });

  it('drops a socket that sends an invalid frame, and keeps serving', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${web.port}/api/events?token=${token}`);
    await new Promise((resolve, reject) => {
      socket.on('open', resolve);
      socket.on('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('error', () => undefined);
    // An unmasked frame with a reserved opcode: invalid twice over for a client.
    (socket as unknown as { _socket: Socket })._socket.write(Buffer.from([0x83, 0x01, 0x41]));
    expect(await closed).toBe(1002);
    await stillServing();
    expect(logged).toEqual([]);
  });
});
