// `rnn-studio eval <file> [--data FILE]`: the metrics of a project's trained model (best checkpoint of its
// latest run, else the latest) on its validation split, or on any file in the project's format (same
// tokenizer, same metrics), as text or, with --json, one JSON object with snake_case names. Classification
// and tagging add the confusion matrix and per-class precision, recall and F1.
import { Option } from 'commander';
import type { CliCommand } from '../command.js';
import { CliError } from '../command.js';
import { openInStore } from './projectFiles.js';
import { BACKEND_CHOICES_TEXT, isBackendChoice } from '../../../core/api/backends.js';
import { evaluateProject } from '../../training/evaluateProject.js';
import { WorkloadError } from '../../training/workload.js';
import { DataImportError } from '../../data/index.js';
import type { Confusion } from '../../../core/training/confusion.js';

interface EvalOptions {
  json?: boolean;
  data?: string;
  checkpoint: string;
  backend: string;
  dataDir?: string;
  workload?: string;
  workloadOptions?: string;
}

export const evalCommand: CliCommand = {
  name: 'eval',
  register(program, io) {
    program
      .command('eval')
      .description(
        'Evaluate a trained project on its validation split (loss, accuracy, exact_match, mse, ' +
          'perplexity as the task has them).',
      )
      .argument('<file>', 'the project file')
      .option(
        '--data <file>',
        "score this file (in the project's format: same columns, tokenizer and labels) " +
          'instead of the validation split',
      )
      .option('--json', 'print one JSON object with snake_case names')
      .option('--checkpoint <which>', 'best or latest', 'best')
      .option('--backend <name>', BACKEND_CHOICES_TEXT, 'auto')
      .option('--data-dir <dir>', 'folder for recent projects and crash recovery')
      .addOption(
        new Option(
          '--workload <module>',
          'evaluate this workload module instead of the project graph (tests)',
        ).hideHelp(),
      )
      .addOption(new Option('--workload-options <json>', 'options for --workload (tests)').hideHelp())
      .action(async (file: string, options: EvalOptions) => {
        if (options.checkpoint !== 'best' && options.checkpoint !== 'latest')
          throw new CliError(`--checkpoint must be best or latest, not "${options.checkpoint}".`);
        if (!isBackendChoice(options.backend))
          throw new CliError(`--backend must be ${BACKEND_CHOICES_TEXT}, not "${options.backend}".`);
        const { store, session } = await openInStore(file, options.dataDir);
        let report;
        try {
          report = await evaluateProject(store, session.projectId, {
            which: options.checkpoint,
            backend: options.backend,
            ...(options.workload ? { workloadModule: options.workload } : {}),
            ...(options.workloadOptions
              ? { workloadOptions: JSON.parse(options.workloadOptions) as unknown }
              : {}),
            ...(options.data ? { data: { path: options.data } } : {}),
          });
        } catch (error) {
          if (error instanceof WorkloadError)
            throw new CliError(`${file}: ${error.message}${error.where ? ` (${error.where})` : ''}`);
          if (error instanceof DataImportError) throw new CliError(`${options.data}: ${error.message}`);
          throw error;
        }
        if (report.skipped) {
          io.err(
            `Skipped ${report.skipped.count} row${report.skipped.count === 1 ? '' : 's'} of ` +
              `${options.data}:\n`,
          );
          for (const e of report.skipped.first) io.err(`  line ${e.line}: ${e.message}\n`);
        }
        if (options.json) {
          const confusion = report.confusion
            ? {
                confusion_matrix: { labels: report.confusion.labels, matrix: report.confusion.matrix },
                per_class: report.confusion.perClass,
              }
            : {};
          io.out(
            JSON.stringify({
              ...report.metrics,
              run: report.run,
              epoch: report.epoch,
              split: report.split,
              examples: report.examples,
              backend: report.backend,
              ...confusion,
            }) + '\n',
          );
          return;
        }
        const what =
          report.split === 'file'
            ? `${options.data} (${report.examples} examples)`
            : `${report.split} split (${report.examples} examples)`;
        io.out(`${file}: run ${report.run}, epoch ${report.epoch}, ${what}, ${report.backend}\n`);
        for (const [k, v] of Object.entries(report.metrics))
          io.out(`  ${k.padEnd(16)} ${v === null ? 'n/a' : v.toPrecision(6)}\n`);
        if (report.confusion) io.out(describeConfusion(report.confusion));
      });
  },
};

const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);

/** Per-class scores and the matrix as text (rows: true class, columns: predicted). */
function describeConfusion(c: Confusion): string {
  const width = Math.max(8, ...c.labels.map((l) => l.length)) + 1;
  const cells = (values: string[]) => values.map((v) => v.padStart(10)).join('');
  const lines = [`  ${'class'.padEnd(width)}${cells(['precision', 'recall', 'f1', 'support'])}`];
  for (const s of c.perClass)
    lines.push(
      `  ${s.label.padEnd(width)}${cells([pct(s.precision), pct(s.recall), pct(s.f1), String(s.support)])}`,
    );
  lines.push(`  confusion (rows: true, columns: predicted)`);
  lines.push(`  ${''.padEnd(width)}${c.labels.map((l) => l.padStart(width)).join('')}`);
  c.matrix.forEach((row, i) =>
    lines.push(`  ${c.labels[i]!.padEnd(width)}${row.map((n) => String(n).padStart(width)).join('')}`),
  );
  return lines.join('\n') + '\n';
}
