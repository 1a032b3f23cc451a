// `rnn-studio validate <file>`: every problem of a project, naming block, port or field. Exit 1 on errors.
import { CliError, type CliCommand } from '../command.js';
import type { Diagnostic } from '../../../core/graph/types.js';
import { analyzeProject } from '../../../core/project/index.js';
import { readProjectFile } from '../../project/index.js';
import { withProjectErrors } from './project-errors.js';

export function formatDiagnostic(d: Diagnostic): string {
  const where = [
    d.node && `block ${d.node}`,
    d.port && `port ${d.port}`,
    d.edge && `wire ${d.edge}`,
    d.field && `field ${d.field}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${d.severity} [${d.code}]${where ? ` (${where})` : ''}: ${d.message}`;
}

export const validateCommand: CliCommand = {
  name: 'validate',
  register(program, io) {
    program
      .command('validate')
      .description('Check a project: file format, graph wiring, shapes, and fit with its task and data.')
      .argument('<file>', 'a .rnnproj (or project/architecture .json)')
      .option('--json', 'print the diagnostics as JSON')
      .action(async (file: string, options: { json?: boolean }) => {
        const { doc } = await withProjectErrors(() => readProjectFile(file));
        const { diagnostics } = analyzeProject(doc);
        const errors = diagnostics.filter((d) => d.severity === 'error').length;
        // Runs as this open sees them: one cut off by a kill reads as stopped at its last step.
        const runs = doc.runs.map((r) => ({
          id: r.id,
          status: r.status,
          epochs: r.epochs,
          ...(r.steps !== undefined ? { steps: r.steps } : {}),
        }));
        if (options.json) io.out(`${JSON.stringify({ ok: errors === 0, diagnostics, runs }, null, 2)}\n`);
        else {
          for (const d of diagnostics) io.out(`${formatDiagnostic(d)}\n`);
          io.out(
            errors === 0
              ? `${file}: valid (${diagnostics.length} warning${diagnostics.length === 1 ? '' : 's'})\n`
              : '',
          );
        }
        if (errors > 0)
          throw new CliError(`${file}: ${errors} error${errors === 1 ? '' : 's'} (listed above).`);
      });
  },
};
