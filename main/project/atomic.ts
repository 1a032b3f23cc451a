// Atomic file replacement: write a temp file beside the target, fsync it, rename it over the target,
// fsync the folder. A crash at any moment leaves either the old file or the new one, never a mix; the
// temp file it may leave carries the writer's pid, and is removed at the next start once that pid is gone.
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_PATTERN = /^\.(.+)\.rnn-tmp-(\d+)-[0-9a-f]{8}$/;

export function tempPathFor(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.rnn-tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

export async function atomicWrite(target: string, data: Uint8Array | string): Promise<void> {
  const temp = tempPathFor(target);
  const file = await open(temp, 'w', 0o644);
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (error) {
    await file.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(target));
}

/** Makes the rename itself durable; some platforms (Windows) cannot open folders, which is fine there. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

/** True while a process with this id exists (ours included); a pid we may not signal exists too. */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp files left in `folder` by writers that are no longer running; with `forFile`, only the
 * temps of that one file. Only our own names (`.<file>.rnn-tmp-<pid>-<8 hex>`) are touched, and only when
 * their writer's pid is gone: a live writer (this process, another studio, a CLI `train`) keeps its temp.
 * Returns the names removed.
 */
export async function cleanupTempFiles(folder: string, forFile?: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_PATTERN.exec(name);
    if (!match || (forFile !== undefined && match[1] !== forFile) || processAlive(Number(match[2]))) continue;
    await rm(join(folder, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** Removes the stale temps that interrupted saves of the project file at `path` left beside it. */
export function cleanupProjectTemps(path: string): Promise<string[]> {
  return cleanupTempFiles(dirname(path), basename(path));
}
