// `rnn-studio summary <file>`: every block's output shapes and parameter count, and the total.
import type { CliCommand } from '../command.js';
import { formatSummary, summarize } from '../../../core/graph/index.js';
import { analyzeProject } from '../../../core/project/index.js';
import { readProjectFile } from '../../project/index.js';
import { withProjectErrors } from './project-errors.js';
import { formatDiagnostic } from './validate.js';

export const summaryCommand: CliCommand = {
  name: 'summary',
  register(program, io) {
    program
      .command('summary')
      .description(
        'Print the model: each block with its output shapes and parameter count (Keras convention: ' +
          'one bias per recurrent layer).',
      )
      .argument('<file>', 'a .rnnproj (or project/architecture .json)')
      .option('--json', 'print JSON')
      .action(async (file: string, options: { json?: boolean }) => {
        const { doc } = await withProjectErrors(() => readProjectFile(file));
        const analysis = analyzeProject(doc);
        const rows = summarize(analysis.inference);
        if (options.json) {
          const { totalParams } = analysis.inference;
          const summary = {
            name: doc.name,
            task: doc.task,
            nodes: rows,
            totalParams,
            diagnostics: analysis.diagnostics,
          };
          io.out(`${JSON.stringify(summary, null, 2)}\n`);
          return;
        }
        io.out(`${doc.name} (${doc.task})\n${formatSummary(rows)}\n`);
        for (const d of analysis.diagnostics) io.err(`${formatDiagnostic(d)}\n`);
      });
  },
};
