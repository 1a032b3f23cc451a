// Where import bytes come from: a path on this machine (streamed in 1 MB chunks) or bytes handed over
// by the UI (a browser upload). (The format a name says is core/data/sniff.ts formatFromName.)
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { anywhere, FileAccessError, type FileAccess } from '../files/access.js';
import { DataImportError } from './errors.js';

/**
 * A path is checked against `access` (main/files; any regular file by default); `base` starts relative paths.
 */
export type ImportSource =
  { path: string; access?: FileAccess; base?: string } | { fileName: string; bytes: Uint8Array };

export interface OpenedSource {
  name: string;
  size: number;
  /** Absolute path when the data is on disk. */
  path?: string;
  modified?: string;
  chunks(): AsyncIterable<Uint8Array>;
}

const CHUNK = 1 << 20;

export async function openSource(source: ImportSource): Promise<OpenedSource> {
  if ('bytes' in source) {
    const { bytes } = source;
    return {
      name: basename(source.fileName),
      size: bytes.length,
      async *chunks() {
        for (let at = 0; at < bytes.length; at += CHUNK) yield bytes.subarray(at, at + CHUNK);
      },
    };
  }
  let path: string;
  try {
    path = await (source.access ?? anywhere()).readable(source.path, source.base);
  } catch (error) {
    // Not there: the import's own error (the UI and the CLI say "not found"); refusals pass as they are.
    if (error instanceof FileAccessError && error.code === 'not-found')
      throw new DataImportError(error.message, 'not-found', { path: source.path });
    throw error;
  }
  const info = await stat(path);
  return {
    name: basename(source.path),
    size: info.size,
    path,
    modified: info.mtime.toISOString(),
    chunks: () => createReadStream(path, { highWaterMark: CHUNK }),
  };
}
