// Writes an export's files under a folder, refusing paths that would leave it. The folder and every file
// are checked by the file-access policy (main/files): inside the workspace on the web host, and never a
// device or a symbolic link that leads elsewhere.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { anywhere, type FileAccess } from '../files/access.js';
import type { ExportFile } from './types.js';

export async function writeExport(
  files: ExportFile[],
  outDir: string,
  access: FileAccess = anywhere(),
): Promise<string[]> {
  const root = await access.folder(outDir);
  const written: string[] = [];
  for (const file of files) {
    const target = path.resolve(root, file.path);
    if (!target.startsWith(root + path.sep))
      throw new Error(`Export file "${file.path}" would be written outside ${root}.`);
    await access.folder(path.dirname(target));
    // Inside the export folder whatever the policy: a link planted there must not lead the write out.
    const checked = await access.writable(target);
    if (!checked.startsWith(root + path.sep))
      throw new Error(`Export file "${file.path}" leads outside ${root} (a symbolic link).`);
    await writeFile(checked, file.bytes ?? file.text ?? '');
    written.push(target);
  }
  return written;
}
