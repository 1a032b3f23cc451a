// Reads a host API call's body with a size limit enforced before anything is kept: a Content-Length over
// the limit is refused at once, without reading a byte, and a chunked body (whose size only reading can
// tell) is held to a much smaller limit. A refused or broken body never reaches JSON.parse.
import type { IncomingMessage } from 'node:http';

/** Why a body could not be read: too large (413), cut short (400), or too many at once (503). */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 503,
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

/** A body without a Content-Length (chunked) may be at most this large: only reading it tells its size. */
export const MAX_CHUNKED_BODY_BYTES = 16 * 1024 * 1024;

/** Checks the declared size before reading: throws a BodyError for a body that would be refused. */
export function checkDeclaredSize(request: IncomingMessage, limit: number): void {
  const declared = declaredLength(request);
  if (Number.isNaN(declared)) throw new BodyError(400, 'The Content-Length header is not a whole number.');
  if (declared !== null && declared > limit) throw tooLarge(limit, `is ${describeBytes(declared)}`);
}

/**
 * The bytes that all call bodies being received at once may hold, so several large uploads together
 * cannot exhaust memory: each call reserves its Content-Length (or the chunked limit) before reading, and
 * gives it back when its answer is sent.
 */
export class BodyBudget {
  private used = 0;
  constructor(readonly total: number) {}

  /** Reserve what this request's body may hold, or throw a 503 BodyError when the budget is spent. */
  reserve(request: IncomingMessage, limit: number): number {
    checkDeclaredSize(request, limit);
    const chunked = request.headers['transfer-encoding'] !== undefined;
    const bytes = declaredLength(request) ?? (chunked ? Math.min(limit, MAX_CHUNKED_BODY_BYTES) : 0);
    if (this.used + bytes > this.total) {
      throw new BodyError(
        503,
        `The studio is receiving other large requests right now (at most ${describeBytes(this.total)} at ` +
          'once); send this one again when they have finished.',
      );
    }
    this.used += bytes;
    return bytes;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  get inUse(): number {
    return this.used;
  }
}

/**
 * The whole body as text, at most `limit` bytes; rejects with a BodyError otherwise. A chunked body is
 * held to the smaller MAX_CHUNKED_BODY_BYTES (browsers always declare the length of a call's body, so
 * large uploads are refused before reading and at most 16 MB is ever read in vain).
 */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  checkDeclaredSize(request, limit);
  const chunkedLimit = Math.min(limit, MAX_CHUNKED_BODY_BYTES);
  const declared = declaredLength(request) !== null;
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
      if (declared && size > limit) return fail(tooLarge(limit, 'passed that size'));
      if (!declared && size > chunkedLimit) {
        return fail(
          new BodyError(
            413,
            `A request body without a Content-Length may be at most ${describeBytes(chunkedLimit)}; ` +
              `send a larger one with its Content-Length (up to ${describeBytes(limit)}).`,
          ),
        );
      }
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
