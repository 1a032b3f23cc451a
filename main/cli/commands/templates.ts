// `rnn-studio templates`: the sample projects `new` can start from.
import type { CliCommand } from '../command.js';
import { resourcesDir } from '../../host/appInfo.js';
import { listTemplates } from '../../project/index.js';
import { withProjectErrors } from './project-errors.js';

export const templatesCommand: CliCommand = {
  name: 'templates',
  register(program, io) {
    program
      .command('templates')
      .description(
        'List the sample projects (id, task, what it shows); start one with `rnn-studio new <id> <file>`.',
      )
      .option('--json', 'print JSON instead of a table')
      .action(async (options: { json?: boolean }) => {
        const templates = await withProjectErrors(() => listTemplates(resourcesDir));
        if (options.json) {
          io.out(`${JSON.stringify(templates, null, 2)}\n`);
          return;
        }
        const idWidth = Math.max(...templates.map((t) => t.id.length));
        const taskWidth = Math.max(...templates.map((t) => t.task.length));
        for (const t of templates)
          io.out(`${t.id.padEnd(idWidth)}  ${t.task.padEnd(taskWidth)}  ${t.title}: ${t.description}\n`);
      });
  },
};
