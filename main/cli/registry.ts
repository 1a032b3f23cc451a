// Every CLI command, in the order `rnn-studio --help` lists them. One line per command module.
import type { CliCommand } from './command.js';
import { serveCommand } from './commands/serve.js';

export const commands: CliCommand[] = [serveCommand];
