// What one CLI command module provides. Each command lives in main/cli/commands/<name>.ts and is listed
// once in main/cli/registry.ts; the program in main/cli/program.ts wires them into commander.
import type { Command } from 'commander';

/** Exit codes of every command: 0 ok, 1 invalid input (the user can fix it), 2 unreadable or internal. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_INTERNAL = 2;

/** Thrown by a command to end with a message and an exit code; anything else thrown exits 2. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: typeof EXIT_INVALID | typeof EXIT_INTERNAL = EXIT_INVALID,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Where a command writes; tests pass a capturing one. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (progress bars) rather than a pipe (plain lines). */
  isTTY: boolean;
}

export interface CliCommand {
  name: string;
  /** Add the command (its arguments, options, --help text and action) to the program. */
  register(program: Command, io: CliIO): void;
}

/**
 * A flag's whole-number value, from `min` to `max` (or at least `min` when there is no `max`); anything
 * else is a CliError (exit 1) that names the flag, the range and what was given.
 */
export function wholeNumberFlag(value: string, flag: string, min: number, max?: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
    const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new CliError(`${flag} must be a whole number ${range}, not "${value}".`);
  }
  return n;
}

/** `--workers auto|N` (train, bench): engines training in parallel on shards of each batch. */
export function parseWorkersOption(text: string): 'auto' | number {
  if (text === 'auto') return 'auto';
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new CliError(`--workers must be auto or a whole number from 1 to 256, not "${text}".`);
  return n;
}
