// Which files a path from the user may reach: the one place every service asks before it reads or writes
// a path it was given (project open/save, data import and preview, dataset paths saved in a project,
// export folders). Two modes:
// - `anywhere` (CLI, the desktop app's own dialogs): the user named or picked the path, so any regular
//   file is fine;
// - `workspace` (the web host): only inside the workspace folders given at `serve` time, checked on the
//   normalised, real path (symbolic links resolved), so `..` and links cannot leave them.
// Both modes refuse what is not a regular file (devices such as /dev/zero, FIFOs, sockets, folders where
// a file is expected) before a byte is read: their `stat` size says nothing about what a read returns.
import { lstat, mkdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export class FileAccessError extends Error {
  constructor(
    message: string,
    /** The host API's error codes, so handlers pass the refusal through as it is. */
    readonly code: 'forbidden' | 'not-found' | 'invalid-input',
    /** The path at fault, as the user gave it. */
    readonly where: string,
  ) {
    super(message);
    this.name = 'FileAccessError';
  }
}

export type FileAccessMode = 'anywhere' | 'workspace';

export interface FileAccess {
  readonly mode: FileAccessMode;
  /** The folders a `workspace` policy allows (real paths; the first is where relative paths start). */
  readonly roots: readonly string[];
  /** The real path of an existing regular file that may be read. Relative paths start at `base`. */
  readable(path: string, base?: string): Promise<string>;
  /**
   * The real path a file may be written to: its folder exists and is allowed; anything already there is a
   * regular file.
   */
  writable(path: string, base?: string): Promise<string>;
  /** The real path of a folder that may be written into, created when missing. */
  folder(path: string, base?: string): Promise<string>;
}

/** What a non-regular file is, in the user's words. */
export function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function missing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

class Policy implements FileAccess {
  constructor(
    readonly mode: FileAccessMode,
    readonly roots: readonly string[],
    /** The roots as given (before resolving links), for the lexical check and the messages. */
    private readonly given: readonly string[],
  ) {}

  private full(path: string, base?: string): string {
    if (typeof path !== 'string' || path.trim() === '')
      throw new FileAccessError('No path was given.', 'invalid-input', 'path');
    if (path.includes('\0'))
      throw new FileAccessError('The path contains a NUL character.', 'invalid-input', 'path');
    return resolve(base ?? this.roots[0] ?? process.cwd(), path);
  }

  private where(): string {
    return this.given.length === 1
      ? `the workspace ${this.given[0]}`
      : `the workspace folders (${this.given.join(', ')})`;
  }

  /** Lexical check first: a path outside is refused without telling whether it exists. */
  private checkGiven(path: string, full: string): void {
    if (this.mode === 'anywhere') return;
    if (![...this.given, ...this.roots].some((root) => isInside(root, full))) {
      throw new FileAccessError(
        `${path} is outside ${this.where()}; this studio only reads and writes there.`,
        'forbidden',
        path,
      );
    }
  }

  /** Real-path check: a symbolic link inside the workspace may not lead out of it. */
  private checkReal(path: string, real: string): void {
    if (this.mode === 'anywhere' || this.roots.some((root) => isInside(root, real))) return;
    throw new FileAccessError(
      `${path} leads (through a symbolic link) to ${real}, outside ${this.where()}.`,
      'forbidden',
      path,
    );
  }

  async readable(path: string, base?: string): Promise<string> {
    const full = this.full(path, base);
    this.checkGiven(path, full);
    let real: string;
    try {
      real = await realpath(full);
    } catch (error) {
      if (missing(error)) throw new FileAccessError(`There is no file at ${full}.`, 'not-found', path);
      throw new FileAccessError(`${full} cannot be read: ${(error as Error).message}`, 'forbidden', path);
    }
    this.checkReal(path, real);
    const info = await stat(real);
    if (!info.isFile()) throw notRegular(full, info, path);
    return real;
  }

  async writable(path: string, base?: string): Promise<string> {
    const full = this.full(path, base);
    this.checkGiven(path, full);
    let folder: string;
    try {
      folder = await realpath(dirname(full));
    } catch (error) {
      if (missing(error))
        throw new FileAccessError(`The folder ${dirname(full)} does not exist.`, 'not-found', path);
      throw error;
    }
    this.checkReal(path, folder);
    const target = join(folder, basename(full));
    const info = await lstat(target).catch((error: unknown) =>
      missing(error) ? undefined : Promise.reject(error),
    );
    if (!info) return target;
    // Writing follows a link to its file: where it leads must be allowed and be a regular file too.
    const real = info.isSymbolicLink() ? await realpath(target).catch(() => undefined) : target;
    // A link to nothing: writing through it would create its target, wherever that is.
    if (real === undefined)
      throw new FileAccessError(
        `${full} is a symbolic link to a file that does not exist.`,
        'forbidden',
        path,
      );
    this.checkReal(path, real);
    const last = info.isSymbolicLink() ? await stat(real).catch(() => undefined) : info;
    if (last && !last.isFile()) throw notRegular(full, last, path, 'written');
    return real;
  }

  async folder(path: string, base?: string): Promise<string> {
    const full = this.full(path, base);
    this.checkGiven(path, full);
    // The nearest folder that exists decides (a link there could lead out) before anything is created.
    let existing = full;
    for (;;) {
      const info = await stat(existing).catch(() => undefined);
      if (info) {
        if (!info.isDirectory())
          throw new FileAccessError(`${existing} is ${fileKind(info)}, not a folder.`, 'invalid-input', path);
        break;
      }
      const up = dirname(existing);
      if (up === existing) break;
      existing = up;
    }
    this.checkReal(path, await realpath(existing));
    await mkdir(full, { recursive: true });
    const real = await realpath(full);
    this.checkReal(path, real);
    return real;
  }
}

function notRegular(full: string, info: Stats, where: string, action = 'read'): FileAccessError {
  return new FileAccessError(
    `${full} is ${fileKind(info)}, not a regular file: only regular files are ${action}.`,
    'invalid-input',
    where,
  );
}

/** The CLI's and the desktop dialogs' policy: any regular file the user names. */
export function anywhere(): FileAccess {
  return new Policy('anywhere', [], []);
}

/**
 * The web host's policy: only inside `folders` (the first is the workspace, where relative paths start).
 * The workspace is created when missing; every other folder must exist.
 */
export async function workspaceOnly(workspace: string, others: readonly string[] = []): Promise<FileAccess> {
  const given = [resolve(workspace), ...others.map((f) => resolve(f))];
  await mkdir(given[0]!, { recursive: true });
  const roots: string[] = [];
  for (const folder of given) {
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory())
      throw new FileAccessError(`The workspace folder ${folder} does not exist.`, 'not-found', folder);
    roots.push(await realpath(folder));
  }
  return new Policy('workspace', roots, given);
}

/** The policy again from its roots, in another process (a training run): none means `anywhere`. */
export function policyFor(roots: readonly string[] | undefined): FileAccess {
  return roots && roots.length > 0 ? new Policy('workspace', roots, roots) : anywhere();
}
