// `rnn-studio data <project> --import <path>`: makes a data file the project's dataset (copied into the
// project when small, referenced by path when large) and saves the project; without --import, shows the
// project's dataset: where it comes from, rows, vocabulary, labels, lengths.
import { resolve } from 'node:path';
import { CliError, EXIT_INTERNAL, wholeNumberFlag, type CliCommand, type CliIO } from '../command.js';
import type { ImportOptions } from '../../../core/data/import-options.js';
import { describeReading, describeReport, type ImportPreview } from '../../../core/data/importReport.js';
import { delimiterFromName, encodingFromName } from '../../../core/data/sniff.js';
import type { DatasetStats } from '../../../core/data/stats.js';
import {
  DataImportError,
  importIntoProject,
  previewDataset,
  previewImport,
  type ImportProgress,
} from '../../data/index.js';
import { resourcesDir } from '../../host/appInfo.js';
import { defaultDataDir } from '../../host/studioHost.js';
import { ProjectStore } from '../../project/index.js';
import { withProjectErrors } from './project-errors.js';

interface DataFlags {
  import?: string;
  task?: string;
  format?: string;
  textColumn?: string;
  labelColumn?: string;
  sourceColumn?: string;
  targetColumn?: string;
  tokenizer?: string;
  lowercase?: boolean;
  maxLength?: string;
  delimiter?: string;
  header?: boolean;
  encoding?: string;
  preview?: boolean;
  strict?: boolean;
  embed?: boolean;
  link?: boolean;
  dataDir?: string;
}

/** Flags → import options (validated again, with field names, by importDataset). */
export function importOptionsFromFlags(f: DataFlags): ImportOptions {
  const columns: Record<string, unknown> = {};
  if (f.textColumn) columns.text = f.textColumn;
  if (f.labelColumn) columns.label = f.labelColumn;
  if (f.sourceColumn) columns.source = f.sourceColumn;
  if (f.targetColumn) columns.target = f.targetColumn;
  const tokenizer: Record<string, unknown> = {};
  if (f.tokenizer) tokenizer.kind = f.tokenizer;
  if (f.lowercase) tokenizer.lowercase = true;
  const maxLength = f.maxLength === undefined ? undefined : wholeNumberFlag(f.maxLength, '--max-length', 1);
  const encoding = f.encoding === undefined ? undefined : encodingFromName(f.encoding);
  if (f.encoding !== undefined && !encoding) {
    throw new CliError(
      `--encoding must be auto, utf-8, utf-16le, utf-16be or windows-1252 (latin1), not "${f.encoding}".`,
    );
  }
  return {
    ...(encoding ? { encoding } : {}),
    ...(f.task ? { task: f.task } : {}),
    ...(f.format ? { format: f.format } : {}),
    ...(f.delimiter ? { delimiter: delimiterFromName(f.delimiter) } : {}),
    ...(f.header !== undefined ? { header: f.header } : {}),
    ...(f.strict ? { strict: true } : {}),
    ...(Object.keys(columns).length ? { columns } : {}),
    ...(Object.keys(tokenizer).length ? { tokenizer } : {}),
    ...(maxLength ? { maxLength } : {}),
    ...(f.link ? { embed: false } : f.embed ? { embed: true } : {}),
  } as ImportOptions;
}

function describeStats(stats: DatasetStats): string {
  const l = stats.lengths;
  const truncated = stats.truncated ? ` (${stats.truncated} truncated to the maximum length)` : '';
  const sampled = stats.sampled ? ` (measured on ${stats.sampled} sampled examples)` : '';
  const lines = [
    `  examples: ${stats.examples}${truncated}`,
    `  length in tokens: min ${l.min}, median ${l.median}, max ${l.max}${sampled}`,
    `  vocabulary: ${stats.vocabulary.size} tokens, ` +
      `covering ${(100 * stats.vocabulary.coverage).toFixed(1)}% of the text`,
  ];
  if (stats.bucketing && stats.bucketing.randomPadded > 0) {
    const b = stats.bucketing;
    lines.push(
      `  padding in batches of ${b.batchSize}: ${b.randomPadded} positions at random, ` +
        `${b.bucketedPadded} bucketed by length (${(100 * b.saved).toFixed(0)}% saved)`,
    );
  }
  if (stats.labels) lines.push(`  labels: ${stats.labels.map((x) => `${x.label} ${x.count}`).join(', ')}`);
  if (stats.balance?.warning) lines.push(`  warning: ${stats.balance.warning}`);
  return lines.join('\n') + '\n';
}

/** The CLI flag for each column choice the importer's messages name. */
const COLUMN_FLAG: Record<string, string> = {
  text: '--text-column',
  tokens: '--text-column',
  label: '--label-column',
  targets: '--label-column',
  tags: '--label-column',
  source: '--source-column',
  target: '--target-column',
};

/** The preview as text: how the file is read, the columns picked, the first rows. */
function describePreview(p: ImportPreview): string {
  const lines = [
    `${p.fileName}${p.partial ? ' (first 64 KB)' : ''}: ${describeReading(p.reading)}.`,
    `  task: ${p.task}`,
  ];
  const roles = Object.entries(p.roles).map(
    ([role, column]) => `${role} = ${Array.isArray(column) ? column.join(', ') : String(column)}`,
  );
  if (p.columns.length > 0)
    lines.push(
      `  columns: ${p.columns.map((c) => `"${c}"`).join(', ')}${roles.length ? `; ${roles.join(', ')}` : ''}`,
    );
  if (p.problem) lines.push(`  problem: ${p.problem}`);
  for (const r of p.rows)
    lines.push(`  line ${String(r.line).padStart(4)}: ${r.values.map((v) => JSON.stringify(v)).join(' | ')}`);
  const s = p.sample;
  lines.push(`  in these lines: ${s.rowsKept} rows usable, ${s.rowsSkipped} skipped, ${s.emptyLines} empty`);
  for (const k of s.skipped) lines.push(`    ${k.reason}: ${k.count} (line ${k.lines.join(', ')})`);
  return lines.join('\n') + '\n';
}

function progressPrinter(io: CliIO): (p: ImportProgress) => void {
  let lastTenth = -1;
  return (p) => {
    const percent = (100 * p.fraction).toFixed(0);
    if (io.isTTY) io.err(`\rImporting… ${percent}% (${p.rows} rows)${p.fraction >= 1 ? '\n' : ''}`);
    else if (Math.floor(p.fraction * 10) !== lastTenth) {
      lastTenth = Math.floor(p.fraction * 10);
      io.err(`Importing… ${percent}% (${p.rows} rows)\n`);
    }
  };
}

export const dataCommand: CliCommand = {
  name: 'data',
  register(program, io) {
    program
      .command('data')
      .description("Import a data file as a project's dataset (--import), or show the dataset it has.")
      .argument('<file>', 'the project (.rnnproj)')
      .option('--import <path>', 'CSV, TSV, JSONL, CoNLL or text file to use as the dataset')
      .option(
        '--task <task>',
        'classification, regression, tagging, language-model or seq2seq (guessed when absent)',
      )
      .option(
        '--format <format>',
        'csv, tsv, jsonl, text (one document), lines (one example per line) ' +
          'or conll (token and tag per line); from the file name when absent',
      )
      .option('--text-column <name>', 'column with the text (tagging: the tokens)')
      .option('--label-column <name>', 'column with the label (regression: the number; tagging: the tags)')
      .option('--source-column <name>', 'sequence to sequence: column with the source')
      .option('--target-column <name>', 'sequence to sequence: column with the target')
      .option('--tokenizer <kind>', 'character, word or subword (by task when absent)')
      .option('--lowercase', 'fold case before tokenizing')
      .option('--max-length <n>', 'longest sequence in tokens; longer ones are truncated')
      .option(
        '--delimiter <char>',
        'CSV field separator: comma, tab, semicolon, pipe or the character (guessed when absent)',
      )
      .option(
        '--header',
        'the first row holds the column names (guessed when neither --header nor --no-header)',
      )
      .option('--no-header', 'the first row is data, not column names (columns are then 1, 2, …)')
      .option(
        '--encoding <name>',
        'auto (default: UTF-8, UTF-16 by its byte order mark, else Windows-1252), utf-8, utf-16le, ' +
          'utf-16be or windows-1252',
      )
      .option(
        '--preview',
        'with --import: show how the file would be read and its first rows, without importing',
      )
      .option('--strict', 'stop at the first bad row instead of skipping it')
      .option('--embed', 'copy the file into the project whatever its size')
      .option('--link', 'reference the file by path instead of copying it into the project')
      .option('--data-dir <dir>', 'folder for recent projects and autosaves')
      .action(async (file: string, flags: DataFlags) => {
        if (flags.embed && flags.link)
          throw new CliError('--embed and --link contradict each other: choose one.');
        const store = new ProjectStore({
          dataDir: flags.dataDir ?? defaultDataDir(),
          resourcesDir,
          autosaveMs: 0,
        });
        await store.init();
        const session = await withProjectErrors(() => store.openFile(file));
        const id = session.projectId;
        try {
          if (!flags.import) {
            const spec = session.doc.dataset;
            if (!spec) {
              io.out(`${file} has no dataset yet. Add one with: rnn-studio data ${file} --import <path>\n`);
              return;
            }
            const where =
              spec.source.kind === 'generator'
                ? `generator "${spec.source.name}" (seed ${spec.source.seed})`
                : spec.source.kind === 'embedded'
                  ? `${spec.source.entry} inside the project`
                  : spec.source.path;
            const preview = await previewDataset(
              spec,
              (name) => store.readEntry(id, name),
              session.path ? { projectDir: resolve(session.path, '..') } : {},
            );
            io.out(
              `Dataset of ${file}: ${spec.task} from ${where}, ` +
                `${spec.tokenizer.kind} tokens\n${describeStats(preview.stats)}`,
            );
            for (const w of preview.warnings) io.err(`warning: ${w}\n`);
            return;
          }
          const options = importOptionsFromFlags(flags);
          if (flags.preview) {
            const task = options.task ?? session.doc.task;
            io.out(describePreview(await previewImport({ path: flags.import }, { ...options, task })));
            return;
          }
          if (!session.path)
            throw new CliError(`${file} is not a .rnnproj project file: save it as one first.`);
          const result = await importIntoProject(
            store,
            id,
            { path: flags.import },
            options,
            progressPrinter(io),
          );
          const saved = await withProjectErrors(() => store.save(id));
          const kept = result.entry
            ? `copied into the project as ${result.entry}`
            : `referenced at ${resolve(flags.import)} (keep the file there)`;
          io.out(
            `Imported ${flags.import} as a ${result.spec.task} dataset, ${kept}; ` +
              `saved ${saved.path}\n${describeStats(result.stats)}`,
          );
          const fitted = result.fitted.map(
            (c) => `${c.node}.${c.field} ${String(c.from ?? 'unset')} → ${c.to}`,
          );
          if (fitted.length > 0) io.out(`Sized the model to the data: ${fitted.join(', ')}\n`);
          io.out(describeReport(result.report).join('\n') + '\n');
          const t = result.training;
          io.out(
            `Sized training to the data: ${t.epochs} epochs at batch ${t.batchSize} (up to ` +
              `${t.steps} optimizer steps), ` +
              `early stopping after ${t.patience} epochs without a better validation loss; ` +
              `the best checkpoint is kept.\n`,
          );
          if (result.errorCount > 0) {
            io.err(`Skipped ${result.errorCount} bad row${result.errorCount === 1 ? '' : 's'}:\n`);
            for (const e of result.errors.slice(0, 10)) io.err(`  line ${e.line}: ${e.message}\n`);
            if (result.errorCount > 10) io.err(`  … and ${result.errorCount - 10} more\n`);
          }
        } catch (error) {
          if (error instanceof DataImportError) {
            const flag =
              error.code === 'columns' && error.where.field ? COLUMN_FLAG[error.where.field] : undefined;
            const hint = flag ? ` (${flag}, or --task for another task)` : '';
            throw new CliError(
              error.message + hint,
              error.code === 'not-found' || error.code === 'moved' ? EXIT_INTERNAL : 1,
            );
          }
          throw error;
        } finally {
          await store.close(id);
        }
      });
  },
};
