// `rnn-studio new <template> <file>`: a new project file from a template, ready to train.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, type CliCommand } from '../command.js';
import { resourcesDir } from '../../host/appInfo.js';
import { newProjectFile } from '../../project/index.js';
import { withProjectErrors } from './project-errors.js';

export const newCommand: CliCommand = {
  name: 'new',
  register(program, io) {
    program
      .command('new')
      .description('Create a project file from a template (see `rnn-studio templates`).')
      .argument('<template>', 'template id, e.g. char-lm')
      .argument('<file>', 'where to write the project, e.g. my-model.rnnproj')
      .option('--force', 'overwrite the file if it exists')
      .action(async (templateId: string, file: string, options: { force?: boolean }) => {
        const target = resolve(file);
        if (existsSync(target) && !options.force)
          throw new CliError(`${target} already exists; pass --force to overwrite it.`);
        const project = await withProjectErrors(() => newProjectFile(resourcesDir, templateId, target));
        io.out(
          `Created ${target} from template "${templateId}" (${project.doc.task}). Train it with: ` +
            `rnn-studio train ${file}\n`,
        );
      });
  },
};
