// Reads a host API call's body with a size limit enforced before anything is kept: a declared
// Content-Length over the limit is refused at once, without reading a byte, and a streamed (chunked) body
// is dropped as soon as it passes the limit. A refused or broken body never reaches JSON.parse.
import type { IncomingMessage } from 'node:http';

/** Why a body could not be read: too large (413), or the client stopped sending it (400). */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export function describeBytes(bytes: number): string {
  return bytes >= 1e6 ? `${Math.round(bytes / 1e5) / 10} MB` : `${Math.round(bytes / 100) / 10} kB`;
}

function tooLarge(limit: number, what: string): BodyError {
  return new BodyError(
    413,
    `The request body ${what}, more than the ${describeBytes(limit)} this studio accepts in one call.`,
  );
}

/**
 * The declared length when it is a plain decimal number, null when absent (a chunked body). A malformed
 * header never gets here: Node's parser refuses it with 400 before the request exists.
 */
function declaredLength(request: IncomingMessage): number | null {
  const header = request.headers['content-length'];
  if (header === undefined) return null;
  return /^\d+$/.test(header) ? Number(header) : Number.NaN;
}

/** Checks the declared size before reading: throws a BodyError for a body that would be refused. */
export function checkDeclaredSize(request: IncomingMessage, limit: number): void {
  const declared = declaredLength(request);
  if (Number.isNaN(declared)) throw new BodyError(400, 'The Content-Length header is not a whole number.');
  if (declared !== null && declared > limit) throw tooLarge(limit, `is ${describeBytes(declared)}`);
}

/** The whole body as text, at most `limit` bytes; rejects with a BodyError otherwise. */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  checkDeclaredSize(request, limit);
  return new Promise((resolve, reject) => {
    // Chunks are kept as they arrive (never a buffer of the declared size up front): a client that
    // declares a large body and sends a trickle holds only what it has actually sent.
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: BodyError) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      // Stop keeping it: the rest of the body is discarded as it comes, until the connection closes.
      request.removeAllListeners('data');
      request.resume();
      reject(error);
    };
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) return fail(tooLarge(limit, 'passed that size'));
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    });
    const aborted = () => fail(new BodyError(400, 'The request body ended before it was complete.'));
    request.on('error', aborted);
    request.on('aborted', aborted);
    request.on('close', () => {
      if (!request.complete) aborted();
    });
  });
}
