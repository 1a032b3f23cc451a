// Serves the built renderer (out/renderer) to the browser. Only files under that folder, never a path
// that climbs out of it; the page itself carries the Content-Security-Policy.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** The page's policy: everything from this origin, nothing remote; inline styles are needed by Vue Flow. */
export function contentSecurityPolicy(socketOrigin?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    socketOrigin ? `connect-src 'self' ${socketOrigin}` : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** Resolve a URL path to a file of the renderer build, or null when it is not one. */
export async function readStaticFile(rootDir: string, urlPath: string): Promise<StaticFile | null> {
  const root = resolve(rootDir);
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    return null;
  }
  const target = normalize(join(root, relative));
  if (target !== root && !target.startsWith(root + sep)) return null;
  try {
    const info = await stat(target);
    if (!info.isFile()) return null;
    return {
      body: await readFile(target),
      contentType: types[extname(target)] ?? 'application/octet-stream',
    };
  } catch {
    return null;
  }
}
