// The import preview: how a file will be read (format, encoding, delimiter, header, and why each was
// chosen), its first rows as parsed, and the columns picked for the task's roles, from the start of the
// file only. It runs the importer's own decoder and row reader, so what the preview shows is what the
// import will do; a choice the user changes (header, encoding, delimiter, task, columns) is passed back in.
import type { ImportOptions } from '../../core/data/import-options.js';
import { ImportReportBuilder, type ImportPreview } from '../../core/data/importReport.js';
import { detectEncoding, formatFromName } from '../../core/data/sniff.js';
import type { Columns, FormatOptions, TaskId } from '../../core/data/spec.js';
import { guessTask, resolveColumns, rowToExample } from './columns.js';
import { decodeText, NotUtf8Error } from './decode.js';
import { DataImportError } from './errors.js';
import { readRows } from './rows.js';
import { openSource, type ImportSource } from './source.js';
import { parseImportOptions } from './options.js';

/** Bytes of the file the preview reads. */
export const PREVIEW_BYTES = 64 * 1024;
const PREVIEW_ROWS = 10;
const CELL_CHARS = 200;

async function head(source: ImportSource): Promise<{ name: string; bytes: Uint8Array; partial: boolean }> {
  const opened = await openSource(source);
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of opened.chunks()) {
    parts.push(chunk.subarray(0, PREVIEW_BYTES - length));
    length += parts.at(-1)!.length;
    if (length >= PREVIEW_BYTES) break;
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const p of parts) bytes.set(p, (at += p.length) - p.length);
  return { name: opened.name, bytes, partial: length < opened.size };
}

/** Cuts a partial head after its last line break, so no row (or character) is cut in half. */
function wholeLines(bytes: Uint8Array): Uint8Array {
  const { encoding } = detectEncoding(bytes);
  const last = bytes.lastIndexOf(0x0a);
  if (last === -1) return bytes;
  return bytes.subarray(0, encoding === 'utf-16le' ? last + 2 : last + 1);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

const cell = (v: unknown): string => {
  const s =
    typeof v === 'string'
      ? v
      : v === undefined || v === null
        ? ''
        : Array.isArray(v)
          ? v.join(' ')
          : JSON.stringify(v);
  return s.length > CELL_CHARS ? `${s.slice(0, CELL_CHARS)}…` : s;
};

/**
 * Previews `source` for import with `rawOptions` (the same options as importDataset). `size` is the whole
 * file's size when `source` holds only its first bytes (an upload from the wizard).
 */
export async function previewImport(
  source: ImportSource,
  rawOptions: ImportOptions | Record<string, unknown> = {},
  size?: number,
): Promise<ImportPreview> {
  const options = parseImportOptions(rawOptions);
  const start = await head(source);
  const partial = start.partial || (size !== undefined && size > start.bytes.length);
  const bytes = partial ? wholeLines(start.bytes) : start.bytes;
  const format = options.format ?? formatFromName(start.name);
  const formatOptions: FormatOptions = { header: options.header ?? true, encoding: 'utf-8', strict: false };
  if (options.delimiter) formatOptions.delimiter = options.delimiter;

  const read = async (encoding: ImportOptions['encoding']) => {
    const report = new ImportReportBuilder();
    const rows: ImportPreview['rows'] = [];
    let guess = detectEncoding(bytes);
    let how: { delimiter?: string; header: boolean; headerNote?: string } = { header: formatOptions.header };
    let columns: string[] = [];
    let task: TaskId = options.task ?? 'language-model';
    let roles: Columns = {};
    let problem: string | undefined;
    let doc = '';
    await readRows(
      decodeText(once(bytes), { encoding: encoding ?? 'auto', detected: (g) => (guess = g) }),
      format,
      formatOptions,
      {
        reading: (r) => (how = r),
        columns: (names) => {
          columns = names;
          task = options.task ?? guessTask(format, names);
          if (format === 'text') return;
          try {
            roles = resolveColumns(task, names, options.columns);
          } catch (e) {
            if (!(e instanceof DataImportError)) throw e;
            problem = e.message;
          }
        },
        row: (row) => {
          if (rows.length < PREVIEW_ROWS)
            rows.push({ line: row.line, values: columns.map((c) => cell(row.values[c])) });
          if (problem) return;
          const e = rowToExample(task, roles, row.values, row.line);
          if ('message' in e) report.skip(e);
          else report.keep();
        },
        error: (e) => report.skip(e),
        empty: (line) => report.emptyLine(line),
        text: (chunk) => (doc += chunk),
      },
      undefined,
      {
        guessHeader: options.header === undefined && (format === 'csv' || format === 'tsv'),
        chosenColumns: Object.values(options.columns ?? {}).flat(),
      },
    );
    if (format === 'text') {
      doc
        .split('\n')
        .slice(0, PREVIEW_ROWS)
        .forEach((l, i) => rows.push({ line: i + 1, values: [cell(l)] }));
      if (task !== 'language-model')
        problem = 'A plain text file is read as one document, which suits a language model only.';
    }
    const finished = report.finish({
      format,
      encoding: guess.encoding,
      ...(guess.note ? { encodingNote: guess.note } : {}),
      encodingChosen: encoding !== undefined && encoding !== 'auto',
      ...(how.delimiter !== undefined ? { delimiter: how.delimiter } : {}),
      header: how.header,
      ...(how.headerNote ? { headerNote: how.headerNote } : {}),
    });
    const { reading, rowsKept, rowsSkipped, emptyLines, skipped } = finished;
    return {
      fileName: start.name,
      reading,
      task,
      columns,
      roles,
      ...(problem ? { problem } : {}),
      rows,
      sample: { rowsKept, rowsSkipped, emptyLines, skipped },
      partial,
    };
  };
  try {
    return await read(options.encoding);
  } catch (error) {
    if (!(error instanceof NotUtf8Error)) throw error;
    const again = await read('windows-1252');
    again.reading.encodingChosen = false;
    again.reading.encodingNote = 'not valid UTF-8';
    return again;
  }
}
