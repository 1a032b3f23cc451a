// Limits for opening a .rnnproj from anyone (a download, a colleague): entry names, sizes, counts,
// compression ratio and JSON depth. Every refusal names the entry or field and what the limit is.

export interface ImportLimits {
  /** Largest .rnnproj file read at all. */
  maxFileBytes: number;
  maxEntries: number;
  /** Largest single entry, uncompressed. */
  maxEntryBytes: number;
  /** All entries together, uncompressed: judged from the directory, and counted again while inflating. */
  maxTotalBytes: number;
  /** Largest project.json, uncompressed. */
  maxProjectJsonBytes: number;
  /**
   * Uncompressed ÷ compressed above which an entry larger than ratioFloorBytes is a zip bomb; the same
   * ratio applies to all entries together, so a thousand small bombs are caught as one.
   */
  maxRatio: number;
  ratioFloorBytes: number;
  maxNameLength: number;
  maxJsonDepth: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxFileBytes: 1024 * 1024 * 1024,
  maxEntries: 10_000,
  maxEntryBytes: 512 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxProjectJsonBytes: 32 * 1024 * 1024,
  maxRatio: 200,
  // Low enough that many small entries cannot each stay under it (real entries compress 1-30 times).
  ratioFloorBytes: 64 * 1024,
  maxNameLength: 255,
  maxJsonDepth: 64,
};

/** The folders a project zip may hold, besides project.json at its root. */
export const PROJECT_FOLDERS = ['weights', 'checkpoints', 'history', 'data'] as const;

export class ProjectError extends Error {
  constructor(
    message: string,
    /** Same codes as the host API's HostError, so handlers pass them through. */
    readonly code: 'invalid-input' | 'not-found' | 'internal' | 'forbidden' = 'invalid-input',
    /** The entry, field or path at fault. */
    readonly where?: string,
  ) {
    super(message);
    this.name = 'ProjectError';
  }
}

const mb = (n: number) =>
  n < 1024 * 1024 ? `${n} bytes` : `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
export { mb as formatMegabytes };

/**
 * A safe entry name: relative, forward slashes, no `..`, `.` or empty segments, no control characters or
 * backslashes (Windows separators), no drive letters, inside a known folder. Returns the problem, or null.
 */
export function entryNameProblem(name: string, limits: ImportLimits): string | null {
  if (name.length === 0) return 'an entry has an empty name';
  if (name.length > limits.maxNameLength)
    return `entry name is longer than ${limits.maxNameLength} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'entry name contains control characters';
  if (name.includes('\\')) return 'entry name contains a backslash (a Windows path separator)';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'entry name is an absolute path';
  const parts = name.replace(/\/$/, '').split('/');
  if (parts.some((p) => p === '..')) return 'entry name climbs out of the project with ".." (zip-slip)';
  if (parts.some((p) => p === '' || p === '.')) return 'entry name has an empty or "." segment';
  if (parts.length === 1 && parts[0] === 'project.json') return null;
  if (parts.length >= 2 && (PROJECT_FOLDERS as readonly string[]).includes(parts[0]!)) return null;
  return (
    `entry is outside the project layout (project.json, ` +
    `${PROJECT_FOLDERS.map((f) => `${f}/`).join(', ')})`
  );
}

/** Nesting depth of JSON text, counted without parsing (so a deeply nested file cannot blow the stack). */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** JSON.parse behind a depth and size check, with errors that say which file and where. */
export function parseJsonSafely(text: string, what: string, limits: ImportLimits): unknown {
  if (text.length > limits.maxProjectJsonBytes) {
    throw new ProjectError(
      `${what} is ${mb(text.length)}, more than the ${mb(limits.maxProjectJsonBytes)} allowed.`,
      'invalid-input',
      what,
    );
  }
  const depth = jsonDepth(text, limits.maxJsonDepth);
  if (depth > limits.maxJsonDepth) {
    throw new ProjectError(
      `${what} nests deeper than ${limits.maxJsonDepth} levels; it is not a project file RNN Studio wrote.`,
      'invalid-input',
      what,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProjectError(`${what} is not valid JSON: ${(error as Error).message}`, 'invalid-input', what);
  }
}
