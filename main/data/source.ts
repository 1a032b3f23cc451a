// Where import bytes come from: a path on this machine (streamed in 1 MB chunks) or bytes handed over
// by the UI (a browser upload). (The format a name says is core/data/sniff.ts formatFromName.)
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { DataImportError } from './errors.js';

export type ImportSource = { path: string } | { fileName: string; bytes: Uint8Array };

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
  const path = resolve(source.path);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new DataImportError(`There is no file at ${path}.`, 'not-found', { path });
  }
  if (!info.isFile())
    throw new DataImportError(`${path} is a folder, not a data file.`, 'not-found', { path });
  return {
    name: basename(path),
    size: info.size,
    path,
    modified: info.mtime.toISOString(),
    chunks: () => createReadStream(path, { highWaterMark: CHUNK }),
  };
}
