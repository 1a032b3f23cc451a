// Raw HTTP over a TCP (or TLS) socket, so tests can send what no well-behaved client would: bad request
// targets, forged Host and Origin, lying Content-Length, truncated bodies, WebSocket handshakes.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RawAnswer {
  /** HTTP status of the first response, or null when the server closed or reset without one. */
  status: number | null;
  head: string;
  body: string;
  /** How the exchange ended: the response arrived whole, the server closed, the socket errored. */
  ended: 'response' | 'closed' | 'error' | 'timeout';
}

export interface RawOptions {
  port: number;
  host?: string;
  tls?: { ca?: string; servername?: string };
  /** Bytes to send: one buffer, or several written in turn. */
  send: string | Buffer | (string | Buffer)[];
  /** Half-close after sending (the client stops before the server answers). */
  endAfterSend?: boolean;
  /** Read until the server closes the socket, not just the first response (a WebSocket's frames). */
  untilClose?: boolean;
  /** Give up after this long; the exchange ends as 'timeout'. */
  timeoutMs?: number;
}

/** Send the bytes and read the first response (head plus a Content-Length body), then close. */
export function rawExchange(options: RawOptions): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const host = options.host ?? '127.0.0.1';
    const socket: Socket = options.tls
      ? tlsConnect({
          port: options.port,
          host,
          ca: options.tls.ca,
          servername: options.tls.servername ?? 'localhost',
        })
      : netConnect(options.port, host);
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (ended: RawAnswer['ended']) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const text = data.toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split >= 0 ? text.slice(0, split) : text;
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      socket.destroy();
      resolve({
        status: match ? Number(match[1]) : null,
        head,
        body: split >= 0 ? Buffer.from(text.slice(split + 4), 'latin1').toString('utf8') : '',
        ended: !options.untilClose && (ended === 'closed' || ended === 'error') && match ? 'response' : ended,
      });
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs ?? 15_000);
    socket.on(options.tls ? 'secureConnect' : 'connect', () => {
      const parts = Array.isArray(options.send) ? options.send : [options.send];
      for (const part of parts) socket.write(part);
      if (options.endAfterSend) socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const text = data.toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0 || options.untilClose) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, split));
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      // A 101 has no body; a response without a length ends when the server closes.
      if (status?.[1] === '101' || (length && data.length - split - 4 >= Number(length[1])))
        finish('response');
    });
    socket.on('error', () => finish('error'));
    socket.on('close', () => finish('closed'));
  });
}

/** A request head with the given fields, ended by the blank line. */
export function requestHead(
  method: string,
  target: string,
  headers: Record<string, string | number>,
): string {
  const lines = Object.entries(headers).map(([key, value]) => `${key}: ${value}`);
  return `${method} ${target} HTTP/1.1\r\n${lines.join('\r\n')}${lines.length ? '\r\n' : ''}\r\n`;
}

/** The headers of a WebSocket handshake (a fixed key: the server's answer is not checked here). */
export const websocketHeaders = {
  connection: 'Upgrade',
  upgrade: 'websocket',
  'sec-websocket-version': 13,
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
};
