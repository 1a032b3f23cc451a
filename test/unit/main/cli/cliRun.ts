// Running `rnn-studio` in-process for tests: the exit code and what it printed, as a terminal-less run
// (no progress bar) would print it.
import { runCli } from '../../../../main/cli/program.js';

/** Runs one command line and gives back its exit code and its whole output and error text. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), isTTY: false });
  return { code, out, err };
}

/** An output sink for `runCli(argv, io)` that keeps every write (for tests that look at the pieces). */
export function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), isTTY: false },
    out,
    err,
  };
}
