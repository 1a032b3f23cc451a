// Importing a user's file: one streaming pass that validates every row (bad rows are skipped and
// reported by line, or stop the import in strict mode), learns the vocabulary and labels, and measures
// the statistics the Data tab shows. Returns the dataset spec to save, plus where the bytes should go:
// embedded in the project zip (small files, uploads) or referenced by path (large files).
import { ImportOptionsSchema, defaultTokenizer, type ImportOptions } from '../../core/data/import-options.js';
import type { PreviewRow } from '../../core/data/scan.js';
import { DatasetSpecSchema, type DataSource, type DatasetSpec, type FormatOptions, type TaskId } from '../../core/data/spec.js';
import type { DatasetStats } from '../../core/data/stats.js';
import { guessTask, resolveColumns } from './columns.js';
import { DataImportError, type RowError } from './errors.js';
import { scanFile, type ImportProgress } from './scan-file.js';
import { formatFromName, openSource, type ImportSource } from './source.js';

/** Files up to this size are copied into the project by default; larger ones are referenced by path. */
export const EMBED_LIMIT_BYTES = 64 * 1024 * 1024;

export interface ImportResult {
  spec: DatasetSpec;
  stats: DatasetStats;
  preview: { columns: string[]; rows: PreviewRow[] };
  /** Rows skipped, the first MAX_REPORTED_ROW_ERRORS of them with line and reason. */
  errors: RowError[];
  errorCount: number;
  /** When set, copy these bytes (or this file) into the project zip under `entry`. */
  embed?: { entry: string; path?: string; bytes?: Uint8Array };
}

export function entryName(fileName: string): string {
  const clean = fileName.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(-100) || 'dataset';
  return `data/${clean}`;
}

export async function importDataset(
  source: ImportSource,
  rawOptions: ImportOptions | Record<string, unknown> = {},
  onProgress?: (p: ImportProgress) => void,
  signal?: AbortSignal,
): Promise<ImportResult> {
  const parsed = ImportOptionsSchema.safeParse(rawOptions);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DataImportError(`Import option ${issue.path.join('.') || '(options)'}: ${issue.message}.`, 'format', { field: issue.path.join('.') });
  }
  const options = parsed.data;
  const opened = await openSource(source);
  const format = options.format ?? formatFromName(opened.name);
  const formatOptions: FormatOptions = { header: options.header ?? true, encoding: 'utf-8', strict: options.strict ?? false };
  if (options.delimiter) formatOptions.delimiter = options.delimiter;

  const embed = !opened.path || options.embed === true || ((options.embed ?? 'auto') === 'auto' && opened.size <= EMBED_LIMIT_BYTES);
  const entry = entryName(opened.name);
  const dataSource: DataSource = embed
    ? { kind: 'embedded', entry, format, options: formatOptions }
    : { kind: 'file', path: opened.path!, format, options: formatOptions, size: opened.size, modified: opened.modified };

  const decide = (names: string[]): DatasetSpec => {
    const task: TaskId = options.task ?? guessTask(format, names);
    if (format === 'text' && task !== 'language-model') {
      throw new DataImportError(
        `A plain text file is read as one document, which suits a language model, not ${task}. Use CSV, TSV or JSONL, or the "lines" format for one example per line.`,
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

  const file = await scanFile(opened, format, formatOptions, decide, onProgress, signal);
  if (file.scan.examples === 0 && format !== 'text') {
    const first = file.errors[0];
    throw new DataImportError(
      file.errorCount > 0
        ? `No usable rows in ${opened.name}: all ${file.errorCount} had problems. The first, line ${first!.line}: ${first!.message}.`
        : `${opened.name} has no rows${formatOptions.header ? ' below its header' : ''}.`,
      'empty',
      first ? { line: first.line } : {},
    );
  }
  const { spec, stats, preview } = file.scan.finish();
  if (stats.examples === 0) throw new DataImportError(`${opened.name} has no text to learn from.`, 'empty');
  return {
    spec,
    stats,
    preview: { columns: file.columnNames, rows: preview },
    errors: file.errors,
    errorCount: file.errorCount,
    ...(embed ? { embed: 'bytes' in source ? { entry, bytes: source.bytes } : { entry, path: opened.path! } } : {}),
  };
}
