// Reading a saved dataset back for training, evaluation or the Data tab: from its generator, from the
// project zip, or from the path it was imported from (with a clear error when the file has moved).
import { isDocument } from '../../core/data/dataset.js';
import type { Example } from '../../core/data/example.js';
import { generateExamples } from '../../core/data/generators/index.js';
import { DatasetScan, type ScanResult } from '../../core/data/scan.js';
import type { DatasetSpec } from '../../core/data/spec.js';
import { rowToExample, resolveColumns } from './columns.js';
import { decodeText } from './decode.js';
import { DataImportError, MAX_REPORTED_ROW_ERRORS, type RowError } from './errors.js';
import { readRows } from './rows.js';
import { scanFile } from './scan-file.js';
import { openSource, type OpenedSource } from './source.js';
import { stat } from 'node:fs/promises';
import { anywhere, FileAccessError, type FileAccess } from '../files/access.js';

/** Reads one entry of the open project's zip (ProjectStore.readEntry bound to the project). */
export type ReadEntry = (name: string) => Uint8Array | undefined;

export interface LoadOptions {
  /** Folder of the project file: relative dataset paths are resolved from it. */
  projectDir?: string;
  /** Which paths a dataset saved by path may name (main/files); any regular file by default. */
  access?: FileAccess;
  signal?: AbortSignal;
}

export interface LoadedDataset {
  examples: Example[];
  errors: RowError[];
  errorCount: number;
  /** Non-fatal notes, e.g. the referenced file changed since it was imported. */
  warnings: string[];
}

async function openSaved(
  spec: DatasetSpec,
  readEntry: ReadEntry,
  options: LoadOptions,
  warnings: string[],
): Promise<OpenedSource> {
  const source = spec.source;
  if (source.kind === 'embedded') {
    const bytes = readEntry(source.entry);
    if (!bytes) {
      throw new DataImportError(
        `The dataset ${source.entry} is missing from the project file. ` +
          `Import the data again (Data ▸ Import).`,
        'not-found',
        {
          path: source.entry,
        },
      );
    }
    return openSource({ fileName: source.entry, bytes });
  }
  if (source.kind !== 'file') throw new Error('openSaved: generator datasets have no file');
  let path: string;
  try {
    path = await (options.access ?? anywhere()).readable(source.path, options.projectDir);
  } catch (error) {
    if (!(error instanceof FileAccessError && error.code === 'not-found')) throw error;
    throw new DataImportError(
      `The dataset file ${source.path} is not there any more. It was referenced by path, ` +
        `not copied into the project: if it was moved or renamed, import it again from its new place, ` +
        `into this project.`,
      'moved',
      { path: source.path },
    );
  }
  const info = await stat(path);
  if (source.size !== undefined && info.size !== source.size) {
    warnings.push(
      `${path} has changed since it was imported (${source.size} bytes then, ${info.size} now); ` +
        `the saved vocabulary may not cover new text.`,
    );
  }
  return openSource({ path });
}

/** Every example of a saved dataset, in file order. Bad rows are skipped and reported by line. */
export async function loadDataset(
  spec: DatasetSpec,
  readEntry: ReadEntry,
  options: LoadOptions = {},
): Promise<LoadedDataset> {
  const warnings: string[] = [];
  if (spec.source.kind === 'generator')
    return { examples: generateExamples(spec.source), errors: [], errorCount: 0, warnings };
  const source = spec.source;
  const opened = await openSaved(spec, readEntry, options, warnings);
  const examples: Example[] = [];
  const errors: RowError[] = [];
  let errorCount = 0;
  let columns = spec.columns;
  let doc = '';
  const rowError = (e: RowError) => {
    if (source.options.strict)
      throw new DataImportError(`Line ${e.line}: ${e.message}.`, 'row', { line: e.line, field: e.field });
    errorCount++;
    if (errors.length < MAX_REPORTED_ROW_ERRORS) errors.push(e);
  };
  await readRows(
    decodeText(opened.chunks(), { encoding: source.options.encoding }),
    source.format,
    source.options,
    {
      columns: (names) => {
        if (!isDocument(spec)) columns = resolveColumns(spec.task, names, spec.columns);
      },
      row: (row) => {
        const e = rowToExample(spec.task, columns, row.values, row.line);
        if ('message' in e) rowError(e);
        else examples.push(e);
      },
      error: rowError,
      text: (chunk) => (doc += chunk),
    },
    options.signal,
  );
  if (isDocument(spec)) examples.push({ text: doc, line: 1 });
  return { examples, errors, errorCount, warnings };
}

/**
 * Statistics and first rows of a saved dataset (the Data tab), using its saved vocabulary. Files are
 * streamed through the same bounded-memory scan as an import, so a large referenced file previews in
 * flat memory.
 */
export async function previewDataset(
  spec: DatasetSpec,
  readEntry: ReadEntry,
  options: LoadOptions = {},
): Promise<ScanResult & { warnings: string[] }> {
  if (spec.source.kind === 'generator') {
    const scan = new DatasetScan(spec);
    for (const e of generateExamples(spec.source)) scan.addExample(e);
    return { ...scan.finish(), warnings: [] };
  }
  const warnings: string[] = [];
  const opened = await openSaved(spec, readEntry, options, warnings);
  const decide = (names: string[]): DatasetSpec =>
    isDocument(spec) ? spec : { ...spec, columns: resolveColumns(spec.task, names, spec.columns) };
  const file = await scanFile(
    opened,
    spec.source.format,
    spec.source.options,
    decide,
    undefined,
    options.signal,
  );
  return { ...file.scan.finish(), warnings };
}
