// Importing a user's file: one streaming pass that validates every row (bad rows are skipped and
// reported by line, or stop the import in strict mode), learns the vocabulary and labels, and measures
// the statistics the Data tab shows. Returns the dataset spec to save, plus where the bytes should go:
// embedded in the project zip (small files, uploads) or referenced by path (large files).
import { defaultTokenizer, type ImportOptions } from '../../core/data/import-options.js';
import type { ImportReport } from '../../core/data/importReport.js';
import type { PreviewRow } from '../../core/data/scan.js';
import { formatFromName } from '../../core/data/sniff.js';
import { splitFor } from '../../core/training/sizing.js';
import {
  DatasetSpecSchema,
  type DataSource,
  type DatasetSpec,
  type FormatOptions,
  type TaskId,
} from '../../core/data/spec.js';
import type { DatasetStats } from '../../core/data/stats.js';
import { guessTask, resolveColumns } from './columns.js';
import { DataImportError, type RowError } from './errors.js';
import { NotUtf8Error } from './decode.js';
import { scanFile, type FileScan, type ImportProgress, type Reading } from './scan-file.js';
import { openSource, type ImportSource } from './source.js';
import { parseImportOptions } from './options.js';

/** Files up to this size are copied into the project by default; larger ones are referenced by path. */
export const EMBED_LIMIT_BYTES = 64 * 1024 * 1024;

export interface ImportResult {
  spec: DatasetSpec;
  stats: DatasetStats;
  preview: { columns: string[]; rows: PreviewRow[] };
  /** Rows skipped, the first MAX_REPORTED_ROW_ERRORS of them with line and reason. */
  errors: RowError[];
  errorCount: number;
  /** How the file was read, rows kept and skipped by reason with their first lines. */
  report: ImportReport;
  /** When set, copy these bytes (or this file) into the project zip under `entry`. */
  embed?: { entry: string; path?: string; bytes?: Uint8Array };
}

export function entryName(fileName: string): string {
  const clean =
    fileName
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(-100) || 'dataset';
  return `data/${clean}`;
}

export async function importDataset(
  source: ImportSource,
  rawOptions: ImportOptions | Record<string, unknown> = {},
  onProgress?: (p: ImportProgress) => void,
  signal?: AbortSignal,
): Promise<ImportResult> {
  const options = parseImportOptions(rawOptions);
  const opened = await openSource(source);
  const format = options.format ?? formatFromName(opened.name);
  const formatOptions: FormatOptions = {
    header: options.header ?? true,
    encoding: 'utf-8',
    strict: options.strict ?? false,
  };
  if (options.delimiter) formatOptions.delimiter = options.delimiter;
  const guessHeader = options.header === undefined && (format === 'csv' || format === 'tsv');

  const embed =
    !opened.path ||
    options.embed === true ||
    ((options.embed ?? 'auto') === 'auto' && opened.size <= EMBED_LIMIT_BYTES);
  const entry = entryName(opened.name);
  const decide = (names: string[], reading: Reading): DatasetSpec => {
    // Saved as read, so training and the Data tab read the file the same way again.
    const read: FormatOptions = { ...formatOptions, header: reading.header, encoding: reading.encoding };
    if (reading.delimiter !== undefined && format === 'csv') read.delimiter = reading.delimiter;
    const dataSource: DataSource = embed
      ? { kind: 'embedded', entry, format, options: read }
      : {
          kind: 'file',
          path: opened.path!,
          format,
          options: read,
          size: opened.size,
          modified: opened.modified,
        };
    const task: TaskId = options.task ?? guessTask(format, names);
    if (format === 'text' && task !== 'language-model') {
      throw new DataImportError(
        `A plain text file is read as one document, which suits a language model, not ${task}. ` +
          `Use CSV, TSV or JSONL, or the "lines" format for one example per line.`,
        'format',
        { field: 'format' },
      );
    }
    const columns = format === 'text' ? {} : resolveColumns(task, names, options.columns);
    return DatasetSpecSchema.parse({
      task,
      source: dataSource,
      columns,
      tokenizer: { ...options.tokenizer, kind: options.tokenizer?.kind ?? defaultTokenizer(task) },
      ...(options.maxLength ? { maxLength: options.maxLength } : {}),
      ...(options.split ? { split: options.split } : {}),
    });
  };

  const scan = (encoding: ImportOptions['encoding']) =>
    scanFile(opened, format, formatOptions, decide, onProgress, signal, {
      encoding: encoding ?? 'auto',
      guessHeader,
      chosenColumns: Object.values(options.columns ?? {}).flat(),
    });
  let file: FileScan;
  try {
    file = await scan(options.encoding);
  } catch (error) {
    // UTF-8 at the start but not further on: the whole file is read again
    // as Windows-1252, and the report says why.
    if (!(error instanceof NotUtf8Error)) throw error;
    file = await scan('windows-1252');
    file.report.reading.encodingChosen = false;
    file.report.reading.encodingNote =
      `not valid UTF-8 ` +
      `(${error.message.replace(/^Line (\d+) is not UTF-8 text: (byte 0x..).*$/, '$2 on line $1')})`;
  }
  if (file.scan.examples === 0 && format !== 'text') {
    const first = file.errors[0];
    throw new DataImportError(
      file.errorCount > 0
        ? `No usable rows in ${opened.name}: all ${file.errorCount} had problems. The first, ` +
            `line ${first!.line}: ${first!.message}.`
        : `${opened.name} has no rows${formatOptions.header ? ' below its header' : ''}.`,
      'empty',
      first ? { line: first.line } : {},
    );
  }
  const { spec, stats, preview } = file.scan.finish();
  if (stats.examples === 0) throw new DataImportError(`${opened.name} has no text to learn from.`, 'empty');
  refuseTooFewClasses(spec, file);
  // The split sized to the data unless chosen (core/training/sizing.ts), and the count training is sized to.
  const sized: DatasetSpec = {
    ...spec,
    examples: stats.examples,
    ...(options.split ? {} : { split: splitFor(stats.examples, spec.split.seed) }),
  };
  return {
    spec: sized,
    stats,
    preview: { columns: file.columnNames, rows: preview },
    errors: file.errors,
    errorCount: file.errorCount,
    report: file.report,
    ...(embed
      ? { embed: 'bytes' in source ? { entry, bytes: source.bytes } : { entry, path: opened.path! } }
      : {}),
  };
}

/** A classifier (or tagger) needs two classes to tell apart; one would train a head that cannot be wrong. */
function refuseTooFewClasses(spec: DatasetSpec, file: FileScan): void {
  if ((spec.task !== 'classification' && spec.task !== 'tagging') || (spec.labels?.length ?? 0) >= 2) return;
  const column = spec.task === 'classification' ? spec.columns.label : spec.columns.tags;
  const what = spec.task === 'classification' ? 'class' : 'tag';
  const only = spec.labels?.[0];
  const skipped =
    file.report.rowsSkipped > 0
      ? ` (${file.report.rowsSkipped} of ${file.report.rowsSkipped + file.report.rowsKept} rows were skipped)`
      : '';
  throw new DataImportError(
    `Only one ${what}${only !== undefined ? ` ("${only}")` : ''} in the ` +
      `${column ? `"${column}" column` : 'label column'}${skipped}: ` +
      `a ${spec.task === 'classification' ? 'classifier' : 'tagger'} needs at least two ` +
      `${what === 'class' ? 'classes' : 'tags'} to learn. ` +
      `Check that the label column is the right one and that the header setting matches the file.`,
    'columns',
    { field: spec.task === 'classification' ? 'label' : 'tags' },
  );
}
