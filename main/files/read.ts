// Reading a whole user file into memory, bounded by the bytes actually read rather than by `stat`: a
// device or a file that grows while it is read would otherwise pass a size check and fill the memory.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { fileKind, FileAccessError, type FileAccess } from './access.js';

const CHUNK = 1 << 20;

const mb = (n: number) =>
  n < 1024 * 1024 ? `${n} bytes` : `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;

/**
 * The bytes of the regular file at `path` (a real path from FileAccess), refusing more than `maxBytes`.
 * Opened without blocking (a FIFO swapped in after the check would otherwise wait for a writer forever)
 * and checked again on the open handle.
 */
export async function readBounded(path: string, maxBytes: number, where = path): Promise<Uint8Array> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch(
    (error: unknown) => {
      throw new FileAccessError(`${path} cannot be read: ${(error as Error).message}`, 'not-found', where);
    },
  );
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new FileAccessError(
        `${path} is ${fileKind(info)}, not a regular file: only regular files are read.`,
        'invalid-input',
        where,
      );
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(CHUNK, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes)
        throw new FileAccessError(
          `${path} is larger than ${mb(maxBytes)}, the most this file may be.`,
          'invalid-input',
          where,
        );
      chunks.push(chunk.subarray(0, bytesRead));
    }
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } finally {
    await handle.close();
  }
}

/** `access.readable` then `readBounded`: the usual way to read a whole file a user named. */
export async function readUserFile(
  access: FileAccess,
  path: string,
  maxBytes: number,
  base?: string,
): Promise<{ path: string; bytes: Uint8Array }> {
  const real = await access.readable(path, base);
  return { path: real, bytes: await readBounded(real, maxBytes, path) };
}
