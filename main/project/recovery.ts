// Autosave and crash recovery: a copy of every unsaved open project in <app data>/recovery/, written
// atomically, removed when the project is saved or closed cleanly. Whatever is left there at start was
// open when the studio stopped unexpectedly, and is offered back.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { atomicWrite, cleanupTempFiles } from './atomic.js';

const MetaSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string(),
  path: z.string().nullable(),
  savedAt: z.string(),
});
export type RecoveryMeta = z.infer<typeof MetaSchema>;

export class RecoveryStore {
  constructor(readonly folder: string) {}

  async init(): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await cleanupTempFiles(this.folder);
  }

  private file(id: string, ext: 'json' | 'rnnproj'): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new Error(`Bad recovery id "${id}"`);
    return join(this.folder, `${id}.${ext}`);
  }

  /** The project bytes first, then the meta: a meta file always has its project beside it. */
  async save(meta: RecoveryMeta, bytes: Uint8Array): Promise<void> {
    await atomicWrite(this.file(meta.id, 'rnnproj'), bytes);
    await atomicWrite(this.file(meta.id, 'json'), JSON.stringify(meta));
  }

  async list(): Promise<RecoveryMeta[]> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch {
      return [];
    }
    const metas: RecoveryMeta[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      try {
        const parsed = MetaSchema.safeParse(JSON.parse(await readFile(join(this.folder, name), 'utf8')));
        if (parsed.success) metas.push(parsed.data);
      } catch {
        // an unreadable meta is skipped; its project stays on disk for a person to rescue
      }
    }
    return metas.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  async read(id: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.file(id, 'rnnproj')));
  }

  async remove(id: string): Promise<void> {
    await rm(this.file(id, 'json'), { force: true });
    await rm(this.file(id, 'rnnproj'), { force: true });
  }
}
