// Writes an export's files under a folder, refusing paths that would leave it.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExportFile } from './types.js';

export async function writeExport(files: ExportFile[], outDir: string): Promise<string[]> {
  const root = path.resolve(outDir);
  const written: string[] = [];
  for (const file of files) {
    const target = path.resolve(root, file.path);
    if (!target.startsWith(root + path.sep)) throw new Error(`Export file "${file.path}" would be written outside ${root}.`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.bytes ?? file.text ?? '');
    written.push(target);
  }
  return written;
}
