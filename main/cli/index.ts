// Entry of the `rnn-studio` command (bin/rnn-studio.mjs loads it).
import { runCli } from './program.js';

const io = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
};

const code = await runCli(process.argv.slice(2), io);
// Long-running commands (serve, train) keep the process alive themselves; the rest end here.
process.exitCode = code;
