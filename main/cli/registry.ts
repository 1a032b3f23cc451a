// Every CLI command, in the order `rnn-studio --help` lists them. One line per command module.
import type { CliCommand } from './command.js';

export const commands: CliCommand[] = [];
