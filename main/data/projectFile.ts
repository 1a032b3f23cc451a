// Another file in a project's format, read the way the project's own data is read: a test set to score
// (`eval --data`, "Evaluate on a file…") or inputs to predict in bulk (`predict --file`, "Predict a
// file…"). Encoding, delimiter and header are sniffed (core/data/sniff.ts) unless the project's own file
// settles them; columns are the project's, else guessed. Bad rows are skipped and counted, as on import.
import type { Example } from '../../core/data/example.js';
import { formatFromName } from '../../core/data/sniff.js';
import type { Columns, DatasetSpec, FileFormat } from '../../core/data/spec.js';
import { DataImportError, type RowError } from './errors.js';
import { previewImport } from './inspect.js';
import { loadDataset } from './load.js';
import { decodeText } from './decode.js';
import { readRows } from './rows.js';
import { openSource, type ImportSource } from './source.js';
import { guessColumn } from './columns.js';

export interface ProjectFileRows<T> {
  rows: T[];
  errors: RowError[];
  errorCount: number;
  /** The column each role was read from. */
  columns: Columns;
}

const nameOf = (source: ImportSource) => ('path' in source ? source.path : source.fileName);

function formatFor(spec: DatasetSpec, source: ImportSource): FileFormat {
  const named = formatFromName(nameOf(source));
  if (spec.source.kind === 'generator') return named;
  const own = spec.source.format;
  // A .txt test file for a project of one-example-per-line text (or CoNLL) is in the project's format.
  if (named === 'text' && (own === 'lines' || own === 'conll')) return own;
  return named;
}

/** Examples with their answers (labels, tags, targets), for scoring. */
export async function readProjectFile(
  spec: DatasetSpec,
  source: ImportSource,
): Promise<ProjectFileRows<Example>> {
  const format = formatFor(spec, source);
  const own = spec.source.kind === 'generator' ? undefined : spec.source.options;
  const sameFormat = spec.source.kind !== 'generator' && spec.source.format === format;
  const columns = spec.source.kind === 'generator' ? {} : spec.columns;
  const look = await previewImport(source, {
    task: spec.task,
    format,
    ...(Object.keys(columns).length ? { columns } : {}),
    ...(sameFormat && own
      ? { header: own.header, ...(own.delimiter ? { delimiter: own.delimiter } : {}) }
      : {}),
  });
  if (look.problem) throw new DataImportError(`${look.fileName}: ${look.problem}`, 'columns');
  const { reading } = look;
  const options = {
    header: reading.header,
    encoding: reading.encoding,
    strict: false,
    ...(reading.delimiter && format === 'csv' ? { delimiter: reading.delimiter } : {}),
  };
  const read: DatasetSpec = {
    ...spec,
    columns: look.roles,
    source:
      'path' in source
        ? { kind: 'file', path: source.path, format, options }
        : { kind: 'embedded', entry: source.fileName, format, options },
  };
  const loaded = await loadDataset(read, (name) =>
    'bytes' in source && name === source.fileName ? source.bytes : undefined,
  );
  if (loaded.examples.length === 0)
    throw new DataImportError(`${look.fileName} has no usable rows.`, 'empty');
  return { rows: loaded.examples, errors: loaded.errors, errorCount: loaded.errorCount, columns: look.roles };
}

/** The column names that hold a task's input, in order of preference. */
const INPUT_ROLE = {
  classification: 'text',
  regression: 'text',
  'language-model': 'text',
  tagging: 'tokens',
  seq2seq: 'source',
} as const;

/**
 * The inputs of every row (no answers needed), each with the line it starts on: the project's input
 * column when the file has it, else a column guessed by name, else the only or first column.
 */
export async function readProjectInputs(
  spec: DatasetSpec,
  source: ImportSource,
  column?: string,
): Promise<ProjectFileRows<{ line: number; input: string }>> {
  let format = formatFor(spec, source);
  if (format === 'text') format = 'lines'; // one input per line
  const role = INPUT_ROLE[spec.task];
  const look = await previewImport(source, { task: 'language-model', format });
  const names = look.columns;
  let chosen = column;
  if (chosen !== undefined && !names.includes(chosen)) {
    throw new DataImportError(
      `There is no column "${chosen}" in ${look.fileName}. The columns are: ` +
        `${names.map((n) => `"${n}"`).join(', ')}.`,
      'columns',
      { field: role },
    );
  }
  const own = spec.columns[role];
  chosen ??= own !== undefined && names.includes(own) ? own : undefined;
  chosen ??= guessColumn(names, role) ?? names[0];
  if (chosen === undefined) throw new DataImportError(`${look.fileName} has no columns.`, 'empty');
  const opened = await openSource(source);
  const rows: { line: number; input: string }[] = [];
  const errors: RowError[] = [];
  let errorCount = 0;
  const { reading } = look;
  await readRows(
    decodeText(opened.chunks(), { encoding: reading.encoding }),
    format,
    {
      header: reading.header,
      encoding: reading.encoding,
      strict: false,
      ...(reading.delimiter ? { delimiter: reading.delimiter } : {}),
    },
    {
      columns: () => {},
      row: (row) => {
        const v = row.values[chosen];
        const input = Array.isArray(v)
          ? v.join(' ')
          : typeof v === 'string'
            ? v
            : v === undefined || v === null
              ? ''
              : String(v);
        if (input.trim() === '') {
          errorCount++;
          if (errors.length < 100)
            errors.push({ line: row.line, message: `column "${chosen}" is empty`, field: chosen });
        } else rows.push({ line: row.line, input });
      },
      error: (e) => {
        errorCount++;
        if (errors.length < 100) errors.push(e);
      },
    },
  );
  if (rows.length === 0) throw new DataImportError(`${look.fileName} has no inputs to predict.`, 'empty');
  return { rows, errors, errorCount, columns: { [role]: chosen } };
}
