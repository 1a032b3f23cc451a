// Streams one data file through decoding, row parsing and the dataset scan, counting kept and skipped
// rows with their lines for the import report. Shared by import (spec decided from the header) and
// preview (spec already saved).
import { ImportReportBuilder, type FileReading, type ImportReport } from '../../core/data/importReport.js';
import { DatasetScan } from '../../core/data/scan.js';
import type { EncodingGuess, TextEncoding } from '../../core/data/sniff.js';
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
  report: ImportReport;
}

/** What to work out from the file itself rather than take from `options`. */
export interface Sniffing {
  /** Detect the encoding ('auto', the default) or read as this one. */
  encoding?: TextEncoding | 'auto';
  /** CSV/TSV: guess whether the first row is a header. */
  guessHeader?: boolean;
  /** Column names the user chose (evidence for a header). */
  chosenColumns?: string[];
}

/** How the file turned out to be read: passed to `decide` with the column names. */
export type Reading = FileReading;

export async function scanFile(
  opened: OpenedSource,
  format: FileFormat,
  options: FormatOptions,
  /** Called with the column names (and how the file is read) once the header or first object is read. */
  decide: (names: string[], reading: Reading) => DatasetSpec,
  onProgress?: (p: ImportProgress) => void,
  signal?: AbortSignal,
  sniffing: Sniffing = { encoding: options.encoding },
): Promise<FileScan> {
  let state: { scan: DatasetScan; spec: DatasetSpec; columns: Columns; names: string[] } | undefined;
  const errors: RowError[] = [];
  const report = new ImportReportBuilder();
  let errorCount = 0;
  let lastReported = -1;
  let guess: EncodingGuess | undefined;
  let how: { delimiter?: string; header: boolean; headerNote?: string } = { header: options.header };
  const progress = (bytes: number, done = false) => {
    // 1 only once every row is parsed (the decoder runs a chunk ahead of the parser).
    const fraction = done || opened.size === 0 ? 1 : Math.min(0.99, bytes / opened.size);
    if (fraction - lastReported < 0.01 && fraction < 1) return;
    lastReported = fraction;
    onProgress?.({ fraction, bytes, rows: state?.scan.examples ?? 0 });
  };
  const reading = (): Reading => ({
    format,
    encoding: guess?.encoding ?? 'utf-8',
    ...(guess?.note ? { encodingNote: guess.note } : {}),
    encodingChosen: sniffing.encoding !== undefined && sniffing.encoding !== 'auto',
    ...(how.delimiter !== undefined ? { delimiter: how.delimiter } : {}),
    header: how.header,
    ...(how.headerNote ? { headerNote: how.headerNote } : {}),
  });
  const rowError = (e: RowError) => {
    if (options.strict)
      throw new DataImportError(`Line ${e.line}: ${e.message}.`, 'row', { line: e.line, field: e.field });
    errorCount++;
    report.skip(e);
    if (errors.length < MAX_REPORTED_ROW_ERRORS) errors.push(e);
  };
  const text = decodeText(opened.chunks(), {
    encoding: sniffing.encoding ?? 'auto',
    progress: (p) => progress(p.bytes),
    detected: (g) => (guess = g),
  });
  await readRows(
    text,
    format,
    options,
    {
      reading: (r) => (how = r),
      columns: (names) => {
        const spec = decide(names, reading());
        state = { scan: new DatasetScan(spec), spec, columns: spec.columns, names };
      },
      row: (row) => {
        const e = rowToExample(state!.spec.task, state!.columns, row.values, row.line);
        if ('message' in e) rowError(e);
        else {
          state!.scan.addExample(e);
          report.keep();
        }
      },
      error: rowError,
      empty: (line) => report.emptyLine(line),
      text: (chunk) => state!.scan.addText(chunk),
    },
    signal,
    { guessHeader: sniffing.guessHeader ?? false, chosenColumns: sniffing.chosenColumns ?? [] },
  );
  progress(opened.size, true);
  if (!state) throw new DataImportError(`${opened.name} is empty.`, 'empty');
  return {
    scan: state.scan,
    spec: state.spec,
    columnNames: state.names,
    errors,
    errorCount,
    report: report.finish(reading()),
  };
}
