// Who may talk to the web host and what they asked for: the token (Authorization header, ?token= or the
// page's cookie), the Host header against an allow-list (no DNS rebinding), same-origin requests only,
// and the request target read without ever throwing on what a client sent.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'rnn_studio_token';

export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function cookieToken(request: IncomingMessage): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === TOKEN_COOKIE) return rest.join('=');
  }
  return null;
}

export function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : null;
}

export interface RequestTarget {
  pathname: string;
  searchParams: URLSearchParams;
}

/**
 * The path and query of a request, or null when the target is not a plain path ("//", "http://[", "*",
 * an absolute URL): browsers only send paths to this server, and a parse must never throw.
 */
export function parseTarget(target: string | undefined): RequestTarget | null {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return null;
  try {
    const url = new URL(target, 'http://studio.invalid');
    return { pathname: url.pathname, searchParams: url.searchParams };
  } catch {
    return null;
  }
}

/** A percent-decoded path segment, or null when its encoding is malformed (a 400, not a crash). */
export function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The Host header values this server answers to: each name at its port (and bare on the default port). */
export function hostAllowList(names: Iterable<string>, port: number, secure: boolean): Set<string> {
  const allowed = new Set<string>();
  const defaultPort = secure ? 443 : 80;
  for (const name of names) {
    const shown = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
    allowed.add(`${shown.toLowerCase()}:${port}`);
    if (port === defaultPort) allowed.add(shown.toLowerCase());
  }
  return allowed;
}

export function hostAllowed(request: IncomingMessage, allowed: Set<string>): boolean {
  return allowed.has((request.headers.host ?? '').toLowerCase());
}

/** Same origin only: a browser names the page that sent a request; it must be this studio's own page. */
export function originAllowed(request: IncomingMessage, secure: boolean): boolean {
  const from = request.headers.origin;
  return from === undefined || from === `${secure ? 'https' : 'http'}://${request.headers.host ?? ''}`;
}
