// `rnn-studio serve`: the studio in a browser. Serves the built renderer and the host API (POST
// /api/call/<name>, WebSocket /api/events) on 127.0.0.1 unless told otherwise. Every request and socket
// needs the random token printed in the URL; requests from other origins are refused, and the Host header
// must name this server (a page elsewhere cannot reach it through DNS rebinding).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostHandlers } from '../../core/api/contract.js';
import { dispatch } from './dispatch.js';
import type { EventHub } from './eventHub.js';
import { contentSecurityPolicy, readStaticFile } from './staticFiles.js';

export interface WebHostOptions {
  host?: string;
  port?: number;
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string;
  rendererDir: string;
  handlers: HostHandlers;
  events: EventHub;
  /** Largest request body accepted (uploads of datasets and projects come as base64 JSON). */
  maxBodyBytes?: number;
}

export interface WebHost {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const COOKIE = 'rnn_studio_token';

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function cookieToken(request: IncomingMessage): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === COOKIE) return rest.join('=');
  }
  return null;
}

function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : null;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(text);
}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`The request is larger than ${Math.round(limit / 1e6)} MB.`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const bindHost = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? 300 * 1024 * 1024;
  let origin = '';
  const allowedHosts = new Set<string>();

  let anyHost = false;
  const hostAllowed = (request: IncomingMessage): boolean => anyHost || allowedHosts.has(request.headers.host ?? '');
  // Same origin only: a browser names the page that sent a request; it must be this studio's own page.
  const originAllowed = (request: IncomingMessage): boolean => {
    const from = request.headers.origin;
    return from === undefined || from === `http://${request.headers.host ?? ''}`;
  };

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      send(response, 500, { ok: false, error: { code: 'internal', message: String(error) } });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (!hostAllowed(request)) return send(response, 403, { ok: false, error: { code: 'forbidden', message: 'Unknown Host header.' } });
    if (!originAllowed(request)) return send(response, 403, { ok: false, error: { code: 'forbidden', message: 'Requests from other origins are refused.' } });

    const queryToken = url.searchParams.get('token');
    const presented = bearerToken(request) ?? queryToken ?? cookieToken(request);
    if (!presented || !sameToken(presented, token)) {
      return send(response, 401, {
        ok: false,
        error: { code: 'forbidden', message: 'This studio needs its access token: open the URL that `rnn-studio serve` printed.' },
      });
    }

    if (url.pathname.startsWith('/api/call/')) {
      if (request.method !== 'POST') return send(response, 405, { ok: false, error: { code: 'invalid-request', message: 'Use POST.' } });
      // The API takes the token from the Authorization header only: a cookie would let another page on
      // this machine forge calls with the user's browser.
      if (!bearerToken(request)) return send(response, 401, { ok: false, error: { code: 'forbidden', message: 'Calls need the token in the Authorization header.' } });
      let payload: unknown;
      try {
        payload = JSON.parse((await readBody(request, maxBody)) || '{}');
      } catch (error) {
        return send(response, 400, { ok: false, error: { code: 'invalid-request', message: `The request body is not JSON: ${(error as Error).message}` } });
      }
      const result = await dispatch(options.handlers, decodeURIComponent(url.pathname.slice('/api/call/'.length)), payload);
      return send(response, result.ok ? 200 : result.error.code === 'internal' ? 500 : 400, result);
    }

    if (request.method !== 'GET') return send(response, 405, { ok: false, error: { code: 'invalid-request', message: 'Use GET.' } });
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      const missing = url.pathname === '/' ? 'The studio is not built yet: run `npm run build` first.' : `No such file: ${url.pathname}`;
      return send(response, 404, { ok: false, error: { code: 'not-found', message: missing } });
    }
    const socketOrigin = origin.replace(/^http/, 'ws');
    response.writeHead(200, {
      'content-type': file.contentType,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': contentSecurityPolicy(socketOrigin),
      // The page's assets cannot carry ?token=, so the first visit leaves it in a strict cookie.
      'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    });
    response.end(file.body);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin);
    const presented = url.searchParams.get('token') ?? cookieToken(request);
    if (url.pathname !== '/api/events' || !hostAllowed(request) || !originAllowed(request) || !presented || !sameToken(presented, token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws));
  });
  const unsubscribe = options.events.subscribe((name, payload) => {
    const text = JSON.stringify({ name, payload });
    for (const client of sockets.clients as Set<WebSocket>) if (client.readyState === client.OPEN) client.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  origin = `http://${shownHost}:${port}`;
  for (const name of [shownHost, 'localhost', '127.0.0.1', '[::1]']) allowedHosts.add(`${name}:${port}`);
  // Bound to every interface on purpose (--host 0.0.0.0): then other machines reach it by this machine's
  // names, which the user names with --host; they still need the token.
  anyHost = bindHost === '0.0.0.0' || bindHost === '::';

  return {
    url: `${origin}/?token=${token}`,
    token,
    port,
    async close() {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
