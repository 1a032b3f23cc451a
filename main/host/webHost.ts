// `rnn-studio serve`: the studio in a browser. Serves the built renderer and the host API (POST
// /api/call/<name>, WebSocket /api/events) on 127.0.0.1 unless told otherwise. Every request and socket
// needs the random token printed in the URL; requests from other origins are refused, and the Host header
// must name this server (a page elsewhere cannot reach it through DNS rebinding). No request, however
// malformed, can stop the server: every handler answers its own errors, bad requests get a 4xx, and a
// body over the limit is refused before it is read.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostHandlers } from '../../core/api/contract.js';
import { UploadedFile } from '../../core/api/schemas.js';
import { dispatch } from './dispatch.js';
import type { EventHub } from './eventHub.js';
import { contentSecurityPolicy, readStaticFile } from './staticFiles.js';
import {
  TOKEN_COOKIE,
  bearerToken,
  cookieToken,
  decodeSegment,
  hostAllowList,
  hostAllowed,
  originAllowed,
  parseTarget,
  sameToken,
} from './access.js';
import { BodyBudget, BodyError, readBody } from './requestBody.js';

/**
 * The largest call body accepted: the biggest legitimate call is an upload (project.import, data.import)
 * whose base64 text the contract caps at 280,000,000 characters (a 210 MB file); 1 MiB more leaves room
 * for its file name, options and JSON.
 */
export const MAX_BODY_BYTES = (UploadedFile.shape.dataBase64.maxLength ?? 280_000_000) + 1024 * 1024;

/** Node's own limit on the request line plus headers (16 KiB); larger ones get 431 from the parser. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Connection limits, so a client that opens sockets and never finishes cannot starve the server. A local
 * studio page keeps one WebSocket and a few calls open; a browser opens at most six connections per host.
 */
export const DEFAULT_LIMITS = {
  /** Request line and headers must arrive within this (a slow-header client gets 408 and is closed). */
  headersTimeoutMs: 20_000,
  /** The whole request, body included (a 280 MB upload over loopback takes a few seconds). */
  requestTimeoutMs: 300_000,
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: 5_000,
  /** Open connections at once (calls and sockets); more are closed as they arrive. */
  maxConnections: 256,
  /** Event sockets at once; more are refused with 503 (one per open studio tab is needed). */
  maxEventSockets: 32,
};
export type ConnectionLimits = typeof DEFAULT_LIMITS;

export interface WebHostOptions {
  host?: string;
  port?: number;
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string;
  rendererDir: string;
  handlers: HostHandlers;
  events: EventHub;
  /** Largest request body accepted; MAX_BODY_BYTES by default. */
  maxBodyBytes?: number;
  /** What all bodies being received at once may hold together; two of the largest by default. */
  maxBodyBytesInFlight?: number;
  /** Serve HTTPS with this certificate and key (PEM); plain HTTP otherwise. */
  tls?: { cert: string; key: string };
  /** Names and addresses the Host header may carry besides loopback (remote mode). */
  hostNames?: string[];
  /** The host shown in the printed URL; the bound address (127.0.0.1 for a wildcard) by default. */
  shownHost?: string;
  /** Timeouts and connection counts; DEFAULT_LIMITS where not given. */
  limits?: Partial<ConnectionLimits>;
  /** Where the server reports its own failures (a handler that threw past its error handling). */
  log?: (text: string) => void;
}

export interface WebHost {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

type ErrorCode = 'forbidden' | 'invalid-request' | 'not-found' | 'internal';

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  // A response already under way (or a socket already gone) cannot take a second answer.
  if (response.headersSent || response.destroyed) {
    response.destroy();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
  if (!response.req.complete) closeSoonAfter(response);
}

/** How long a refused body is drained (discarded, never kept) so its sender can read the answer. */
const DRAIN_MS = 2000;

/**
 * An answer given before the body was read (refused, too large): Node discards the rest as it comes, and
 * the connection is closed DRAIN_MS after the answer unless the body ends first. Closing at once would
 * reset the connection while the client is still sending, and it would never see the answer.
 */
function closeSoonAfter(response: ServerResponse): void {
  const request = response.req;
  response.once('finish', () => {
    if (request.complete) return;
    const timer = setTimeout(() => request.socket.destroy(), DRAIN_MS);
    timer.unref();
    request.once('end', () => clearTimeout(timer));
    request.once('close', () => clearTimeout(timer));
  });
}

function fail(
  response: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  headers = {},
): void {
  send(response, status, { ok: false, error: { code, message } }, headers);
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const bindHost = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const bodies = new BodyBudget(options.maxBodyBytesInFlight ?? 2 * maxBody);
  const secure = options.tls !== undefined;
  const scheme = secure ? 'https' : 'http';
  const log = options.log ?? ((text: string) => process.stderr.write(text));
  let allowedHosts = new Set<string>();

  const respond = (request: IncomingMessage, response: ServerResponse) => {
    response.on('error', () => response.destroy());
    request.on('error', () => request.destroy());
    handle(request, response).catch((error: unknown) => {
      log(
        `rnn-studio serve: ${request.method ?? '?'} request failed: ` +
          `${(error as Error)?.stack ?? String(error)}\n`,
      );
      fail(
        response,
        500,
        'internal',
        `The studio host failed on this request: ${(error as Error)?.message ?? error}`,
      );
    });
  };
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const serverOptions = {
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often Node looks for requests past those timeouts (30 s by default: a 20 s header limit could
    // stretch to 50 s).
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
  };
  const server: Server = secure
    ? createHttpsServer({ ...options.tls, ...serverOptions }, respond)
    : createHttpServer(serverOptions, respond);
  server.maxConnections = limits.maxConnections;

  // What Node's parser refuses (huge headers, bad request lines, bad Content-Length) gets a plain answer.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const [status, text] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [
            '431 Request Header Fields Too Large',
            `The request's headers are larger than ${MAX_HEADER_BYTES / 1024} KiB.`,
          ]
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? ['408 Request Timeout', 'The request took too long to arrive.']
          : ['400 Bad Request', 'The request is not valid HTTP.'];
    const body = JSON.stringify({ ok: false, error: { code: 'invalid-request', message: text } });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ` +
        `${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = parseTarget(request.url);
    if (!target)
      return fail(
        response,
        400,
        'invalid-request',
        'The request target must be a path such as /api/call/app.info.',
      );
    if (!hostAllowed(request, allowedHosts)) return fail(response, 403, 'forbidden', 'Unknown Host header.');
    if (!originAllowed(request, secure))
      return fail(response, 403, 'forbidden', 'Requests from other origins are refused.');

    const presented = bearerToken(request) ?? target.searchParams.get('token') ?? cookieToken(request);
    if (!presented || !sameToken(presented, token)) {
      return fail(
        response,
        401,
        'forbidden',
        'This studio needs its access token: open the URL that `rnn-studio serve` printed.',
      );
    }

    if (target.pathname.startsWith('/api/call/')) return handleCall(request, response, target.pathname);

    if (request.method !== 'GET') return fail(response, 405, 'invalid-request', 'Use GET.');
    const file = await readStaticFile(options.rendererDir, target.pathname);
    if (!file) {
      const missing =
        target.pathname === '/'
          ? 'The studio is not built yet: run `npm run build` first.'
          : `No such file: ${target.pathname.slice(0, 200)}`;
      return fail(response, 404, 'not-found', missing);
    }
    response.writeHead(200, {
      'content-type': file.contentType,
      'content-length': String(file.body.length),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // The Host header is one of the allowed names, so the page's own socket origin is built from it.
      'content-security-policy': contentSecurityPolicy(
        `${secure ? 'wss' : 'ws'}://${request.headers.host ?? ''}`,
      ),
      // The page's assets cannot carry ?token=, so the first visit leaves it in a strict cookie.
      'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`,
    });
    response.end(file.body);
  }

  async function handleCall(
    request: IncomingMessage,
    response: ServerResponse,
    pathname: string,
  ): Promise<void> {
    if (request.method !== 'POST') return fail(response, 405, 'invalid-request', 'Use POST.');
    // The API takes the token from the Authorization header only: a cookie would let another page on
    // this machine forge calls with the user's browser.
    if (!bearerToken(request))
      return fail(response, 401, 'forbidden', 'Calls need the token in the Authorization header.');
    const name = decodeSegment(pathname.slice('/api/call/'.length));
    if (name === null)
      return fail(
        response,
        400,
        'invalid-request',
        'The call name in the URL is not valid percent-encoding.',
      );
    let reserved: number;
    try {
      reserved = bodies.reserve(request, maxBody);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      const retry: Record<string, string> = error.status === 503 ? { 'retry-after': '5' } : {};
      return fail(response, error.status, 'invalid-request', error.message, retry);
    }
    // The body's bytes stay reserved until its answer is sent: parsing and the call hold them till then.
    response.once('close', () => bodies.release(reserved));
    let text: string;
    try {
      text = await readBody(request, maxBody);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      // The rest of a refused body is discarded, never kept, and the connection closed soon after.
      return fail(response, error.status, 'invalid-request', error.message);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(text || '{}');
    } catch (error) {
      return fail(
        response,
        400,
        'invalid-request',
        `The request body is not JSON: ${(error as Error).message}`,
      );
    }
    const result = await dispatch(options.handlers, name, payload);
    return send(response, result.ok ? 200 : result.error.code === 'internal' ? 500 : 400, result);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const refuseUpgrade = (socket: Duplex, status: string) => {
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  };
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the raw socket over without its error listener: a reset here must not become uncaught.
    socket.on('error', () => socket.destroy());
    try {
      const target = parseTarget(request.url);
      if (!target) return refuseUpgrade(socket, '400 Bad Request');
      const presented = target.searchParams.get('token') ?? cookieToken(request);
      const allowed =
        target.pathname === '/api/events' &&
        hostAllowed(request, allowedHosts) &&
        originAllowed(request, secure) &&
        presented !== null &&
        sameToken(presented, token);
      if (!allowed) return refuseUpgrade(socket, '401 Unauthorized');
      if (sockets.clients.size >= limits.maxEventSockets)
        return refuseUpgrade(socket, '503 Service Unavailable');
      sockets.handleUpgrade(request, socket, head, (ws) => {
        // The page only listens; a client that sends bad frames is dropped, never allowed to throw.
        ws.on('error', () => ws.terminate());
        ws.on('message', () => undefined);
      });
    } catch (error) {
      log(`rnn-studio serve: a socket upgrade failed: ${(error as Error)?.stack ?? String(error)}\n`);
      refuseUpgrade(socket, '400 Bad Request');
    }
  });
  const unsubscribe = options.events.subscribe((name, payload) => {
    const text = JSON.stringify({ name, payload });
    for (const client of sockets.clients as Set<WebSocket>)
      if (client.readyState === client.OPEN) client.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A failure of the listening socket itself (after start) is reported, not thrown.
  server.on('error', (error) => log(`rnn-studio serve: server error: ${error.message}\n`));
  const { port } = server.address() as AddressInfo;
  const wildcard = bindHost === '0.0.0.0' || bindHost === '::';
  const shownHost = options.shownHost ?? (wildcard ? '127.0.0.1' : bindHost);
  allowedHosts = hostAllowList(
    [shownHost, ...(wildcard ? [] : [bindHost]), ...(options.hostNames ?? []), ...LOOPBACK_NAMES],
    port,
    secure,
  );
  const origin = `${scheme}://${urlHost(shownHost)}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    token,
    port,
    async close() {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
