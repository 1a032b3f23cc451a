// Streams one data file through decoding, row parsing and the dataset scan, counting row errors with
// their lines. Shared by import (spec decided from the header) and preview (spec already saved).
import { DatasetScan } from '../../core/data/scan.js';
import type { Columns, DatasetSpec, FileFormat, FormatOptions } from '../../core/data/spec.js';
import { rowToExample } from './columns.js';
import { decodeText } from './decode.js';
import { DataImportError, MAX_REPORTED_ROW_ERRORS, type RowError } from './errors.js';
import { readRows } from './rows.js';
import type { OpenedSource } from './source.js';

export interface ImportProgress {
  /** 0..1 of the file's bytes read. */
  fraction: number;
  bytes: number;
  rows: number;
}

export interface FileScan {
  scan: DatasetScan;
  spec: DatasetSpec;
  columnNames: string[];
  errors: RowError[];
  errorCount: number;
}

export async function scanFile(
  opened: OpenedSource,
  format: FileFormat,
  options: FormatOptions,
  /** Called with the column names once the header (or first object) is read. */
  decide: (names: string[]) => DatasetSpec,
  onProgress?: (p: ImportProgress) => void,
  signal?: AbortSignal,
): Promise<FileScan> {
  let state: { scan: DatasetScan; spec: DatasetSpec; columns: Columns; names: string[] } | undefined;
  const errors: RowError[] = [];
  let errorCount = 0;
  let lastReported = -1;
  const report = (bytes: number, done = false) => {
    // 1 only once every row is parsed (the decoder runs a chunk ahead of the parser).
    const fraction = done || opened.size === 0 ? 1 : Math.min(0.99, bytes / opened.size);
    if (fraction - lastReported < 0.01 && fraction < 1) return;
    lastReported = fraction;
    onProgress?.({ fraction, bytes, rows: state?.scan.examples ?? 0 });
  };
  const rowError = (e: RowError) => {
    if (options.strict) throw new DataImportError(`Line ${e.line}: ${e.message}.`, 'row', { line: e.line, field: e.field });
    errorCount++;
    if (errors.length < MAX_REPORTED_ROW_ERRORS) errors.push(e);
  };
  const text = decodeText(opened.chunks(), (p) => report(p.bytes));
  await readRows(
    text,
    format,
    options,
    {
      columns: (names) => {
        const spec = decide(names);
        state = { scan: new DatasetScan(spec), spec, columns: spec.columns, names };
      },
      row: (row) => {
        const e = rowToExample(state!.spec.task, state!.columns, row.values, row.line);
        if ('message' in e) rowError(e);
        else state!.scan.addExample(e);
      },
      error: rowError,
      text: (chunk) => state!.scan.addText(chunk),
    },
    signal,
  );
  report(opened.size, true);
  if (!state) throw new DataImportError(`${opened.name} is empty.`, 'empty');
  return { scan: state.scan, spec: state.spec, columnNames: state.names, errors, errorCount };
}
