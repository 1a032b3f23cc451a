// Every CLI command, in the order `rnn-studio --help` lists them. One line per command module.
import type { CliCommand } from './command.js';
import { serveCommand } from './commands/serve.js';
import { templatesCommand } from './commands/templates.js';
import { newCommand } from './commands/new.js';
import { validateCommand } from './commands/validate.js';
import { summaryCommand } from './commands/summary.js';
import { dataCommand } from './commands/data.js';
import { exportCommand } from './commands/export.js';
import { predictCommand } from './commands/predict.js';
import { generateCommand } from './commands/generate.js';
import { trainCommand } from './commands/train.js';
import { evalCommand } from './commands/eval.js';
import { benchCommand } from './commands/bench.js';

export const commands: CliCommand[] = [
  serveCommand,
  templatesCommand,
  newCommand,
  validateCommand,
  summaryCommand,
  dataCommand,
  exportCommand,
  trainCommand,
  evalCommand,
  predictCommand,
  generateCommand,
  benchCommand,
];
