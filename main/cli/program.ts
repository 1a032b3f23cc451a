// The `rnn-studio` program: commander wired with every command of the registry, the exit-code
// convention (0 ok, 1 invalid input, 2 unreadable or internal) and errors that say what and where.
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, type CliIO } from './command.js';
import { commands } from './registry.js';
import { studioVersion } from '../host/appInfo.js';
import { FileAccessError } from '../files/access.js';

export function buildProgram(io: CliIO): Command {
  const program = new Command('rnn-studio')
    .description('RNN Studio: compose, train and inspect recurrent sequence models, offline.')
    .version(studioVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
  for (const command of commands) command.register(program, io);
  return program;
}

/** Run the CLI with argv (without node and script) and return the exit code instead of exiting. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  for (const sub of program.commands) sub.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      if (error.exitCode === 0) return EXIT_OK;
      return EXIT_INVALID;
    }
    if (error instanceof CliError) {
      io.err(`rnn-studio: ${error.message}\n`);
      return error.exitCode;
    }
    // A path the file-access policy refused (a device, a folder) is the user's to fix; a missing file is 2.
    if (error instanceof FileAccessError) {
      io.err(`rnn-studio: ${error.message}\n`);
      return error.code === 'not-found' ? EXIT_INTERNAL : EXIT_INVALID;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.err(`rnn-studio: internal error: ${message}\n`);
    return EXIT_INTERNAL;
  }
}
