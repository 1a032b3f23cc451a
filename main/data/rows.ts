// Text → rows, streaming, one callback per row with the line it starts on. CSV/TSV through papaparse
// (quotes, embedded newlines, any delimiter); JSONL one object per line; `lines` one example per line;
// `text` the whole file as one document, passed on in chunks. Rows are named by column: the header's
// names (trimmed; blanks and repeats made unique), or '1', '2', … without a header. CoNLL files give one
// row per sentence with `tokens` and `tags` lists.
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { guessDelimiter, guessHeader } from '../../core/data/sniff.js';
import type { FileFormat, FormatOptions } from '../../core/data/spec.js';
import { DataImportError, type RowError } from './errors.js';
import { userKeyed } from '../../core/records/own.js';

export interface Row {
  line: number;
  values: Record<string, unknown>;
}

export interface RowSink {
  /** Called once, before the first row, with the column names (JSONL: keys of the first object). */
  columns(names: string[]): void;
  row(row: Row): void;
  error(e: RowError): void;
  /** `text` format only: a chunk of the document. */
  text?(chunk: string): void;
  /** An empty or blank line, passed over (counted in the import report). */
  empty?(line: number): void;
  /** CSV/TSV: the delimiter used and whether the first row was taken as the header (and why, if guessed). */
  reading?(how: { delimiter: string; header: boolean; headerNote?: string }): void;
}

export interface ReadLimits {
  maxRowChars?: number;
  /** CSV/TSV: decide from the first rows whether the first is a header (core/data/sniff.ts guessHeader). */
  guessHeader?: boolean;
  /** Column names the user chose: one of them in the first row makes it the header. */
  chosenColumns?: string[];
}

export function uniqueNames(raw: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((r, i) => {
    const base = r.trim() === '' ? `column ${i + 1}` : r.trim();
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

const newlines = (s: string) => {
  let n = 0;
  for (let at = s.indexOf('\n'); at !== -1; at = s.indexOf('\n', at + 1)) n++;
  return n;
};

/** Longest row (in characters) before an import is stopped as a probable unclosed quote. */
export const MAX_ROW_CHARS = 16 * 1024 * 1024;

/**
 * Passes the text on to the parser while following its quoting (a quote opens a field only at the
 * field's start; inside, a doubled quote is a literal and a single one closes), so that a quote never
 * closed — which would make the parser swallow the rest of a 200 MB file into one field, in memory — is
 * stopped early and reported on the line where its row starts.
 */
async function* guardRows(
  first: string,
  rest: AsyncIterator<string>,
  delimiter: string,
  maxRowChars: number,
): AsyncGenerator<string> {
  let quoted = false;
  let pendingClose = false; // a quote ended the previous chunk inside a quoted field: close or escape?
  let before = '\n'; // the character before the chunk (the file starts a row)
  let line = 1;
  let rowLine = 1;
  let offset = 0;
  let rowStart = 0;
  for (let chunk: string | undefined = first; chunk !== undefined;) {
    let from = 0;
    if (pendingClose) {
      pendingClose = false;
      if (chunk[0] === '"') from = 1;
      else quoted = false;
    }
    let q = chunk.indexOf('"', from);
    let n = chunk.indexOf('\n', from);
    while (q !== -1 || n !== -1) {
      if (q !== -1 && (n === -1 || q < n)) {
        if (!quoted) {
          const prev = q > 0 ? chunk[q - 1] : before;
          if (prev === delimiter || prev === '\n') quoted = true;
          q = chunk.indexOf('"', q + 1);
        } else if (q + 1 >= chunk.length) {
          pendingClose = true;
          q = -1;
        } else if (chunk[q + 1] === '"') {
          q = chunk.indexOf('"', q + 2);
        } else {
          quoted = false;
          q = chunk.indexOf('"', q + 1);
        }
      } else {
        line++;
        if (!quoted) {
          rowLine = line;
          rowStart = offset + n! + 1;
        }
        n = chunk.indexOf('\n', n! + 1);
      }
    }
    offset += chunk.length;
    before = chunk[chunk.length - 1] ?? before;
    if (offset - rowStart > maxRowChars) {
      throw new DataImportError(
        `Line ${rowLine}: this row runs on for more than ${Math.round(maxRowChars / 2 ** 20)} MB. ` +
          `A double quote on it is probably never closed; fix the quotes and import again.`,
        'format',
        { line: rowLine },
      );
    }
    yield chunk;
    const r = await rest.next();
    chunk = r.done ? undefined : r.value;
  }
}

async function readDelimited(
  source: AsyncIterable<string>,
  format: 'csv' | 'tsv',
  options: FormatOptions,
  sink: RowSink,
  signal: AbortSignal | undefined,
  limits: ReadLimits,
): Promise<void> {
  const iterator = source[Symbol.asyncIterator]();
  const head = await iterator.next();
  if (head.done) return;
  const sample = head.value.slice(0, 64 * 1024);
  const delimiter =
    options.delimiter ?? (format === 'tsv' ? '\t' : guessDelimiter(sample, sample.length < 64 * 1024));
  let header = options.header;
  let headerNote: string | undefined;
  if (limits.guessHeader) {
    const firstRows = Papa.parse<string[]>(sample, {
      delimiter,
      newline: '\n',
      skipEmptyLines: 'greedy',
      preview: 50,
    }).data;
    if (sample.length >= 64 * 1024) firstRows.pop(); // may be cut mid-row
    ({ header, why: headerNote } = guessHeader(firstRows, limits.chosenColumns));
  }
  sink.reading?.({ delimiter, header, ...(headerNote ? { headerNote } : {}) });
  const text = guardRows(head.value, iterator, delimiter, limits.maxRowChars ?? MAX_ROW_CHARS);
  let line = 1;
  let names: string[] | undefined;
  let failure: unknown;
  const input = Readable.from(text);
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(input as unknown as File, {
      delimiter,
      newline: '\n',
      header: false,
      skipEmptyLines: false,
      step: (results, parser) => {
        try {
          if (signal?.aborted) throw new DataImportError('Import cancelled.', 'cancelled');
          const fields = results.data;
          const at = line;
          line += 1 + fields.reduce((n, f) => n + newlines(f), 0);
          if (fields.length === 1 && fields[0]!.trim() === '') return sink.empty?.(at);
          const quoteProblem = results.errors.find(
            (e) => e.code === 'MissingQuotes' || e.code === 'InvalidQuotes',
          );
          if (!names) {
            names = header ? uniqueNames(fields) : fields.map((_, i) => String(i + 1));
            sink.columns(names);
            if (header) return;
          }
          if (quoteProblem) {
            sink.error({
              line: at,
              message: `${quoteProblem.message.replace(/\.$/, '')}: check the double quotes on this row`,
              reason: 'unbalanced double quotes',
            });
          } else if (fields.length !== names.length) {
            sink.error({
              line: at,
              message:
                `has ${fields.length} field${fields.length === 1 ? '' : 's'} but the ` +
                `${header ? 'header has' : 'first row has'} ${names.length}`,
              reason: `wrong number of fields (not ${names.length})`,
            });
          } else {
            // Column names are the file's text: a column called `__proto__` or `constructor` is a column.
            const values = userKeyed<unknown>();
            names.forEach((n, i) => (values[n] = fields[i]));
            sink.row({ line: at, values });
          }
        } catch (e) {
          failure = e;
          parser.abort();
        }
      },
      complete: () => (failure ? reject(failure) : resolve()),
      error: (e: Error) => reject(failure ?? e),
    });
    input.on('error', (e) => reject(failure ?? e));
  });
}

async function readLines(
  text: AsyncIterable<string>,
  format: 'jsonl' | 'lines',
  sink: RowSink,
  signal?: AbortSignal,
): Promise<void> {
  let line = 0;
  let rest = '';
  let named = false;
  const take = (raw: string, last = false) => {
    line++;
    if (raw.trim() === '') return sink.empty?.(line);
    if (format === 'lines') {
      if (!named) sink.columns(['text']);
      named = true;
      sink.row({ line, values: { text: raw } });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      // A last line without its newline that does not parse: the file was cut off while being written.
      if (last)
        sink.error({
          line,
          message: 'the last line is cut off (incomplete JSON): the file seems truncated',
          reason: 'last line cut off',
        });
      else
        sink.error({ line, message: `not valid JSON (${(e as Error).message})`, reason: 'not valid JSON' });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      sink.error({
        line,
        message: 'each JSONL line must be one object, like {"text": "…", "label": "…"}',
        reason: 'not a JSON object',
      });
      return;
    }
    if (!named) sink.columns(Object.keys(value));
    named = true;
    sink.row({ line, values: value as Record<string, unknown> });
  };
  for await (const chunk of text) {
    if (signal?.aborted) throw new DataImportError('Import cancelled.', 'cancelled');
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const p of parts) take(p);
  }
  if (rest !== '') take(rest, true);
}

/**
 * CoNLL-style tagging: `token<whitespace>…<whitespace>tag` per line (first column the token, last the
 * tag), a blank line ends a sentence, `-DOCSTART-` lines are skipped. A row is one sentence, on the line
 * where it starts.
 */
async function readConll(text: AsyncIterable<string>, sink: RowSink, signal?: AbortSignal): Promise<void> {
  sink.columns(['tokens', 'tags']);
  let line = 0;
  let rest = '';
  let start = 0;
  let tokens: string[] = [];
  let tags: string[] = [];
  const flush = () => {
    if (tokens.length > 0) sink.row({ line: start, values: { tokens, tags } });
    tokens = [];
    tags = [];
  };
  const take = (raw: string) => {
    line++;
    const parts = raw.trim().split(/\s+/);
    if (raw.trim() === '' || parts[0] === '-DOCSTART-') return flush();
    if (parts.length < 2) {
      sink.error({
        line,
        message: 'expected a token and its tag separated by a space or tab',
        reason: 'no tag',
      });
      return;
    }
    if (tokens.length === 0) start = line;
    tokens.push(parts[0]!);
    tags.push(parts[parts.length - 1]!);
  };
  for await (const chunk of text) {
    if (signal?.aborted) throw new DataImportError('Import cancelled.', 'cancelled');
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    for (const l of lines) take(l);
  }
  if (rest !== '') take(rest);
  flush();
}

/** Reads every row of a decoded text stream into `sink`. */
export async function readRows(
  text: AsyncIterable<string>,
  format: FileFormat,
  options: FormatOptions,
  sink: RowSink,
  signal?: AbortSignal,
  limits: ReadLimits = {},
): Promise<void> {
  switch (format) {
    case 'csv':
    case 'tsv':
      return readDelimited(text, format, options, sink, signal, limits);
    case 'jsonl':
    case 'lines':
      return readLines(text, format, sink, signal);
    case 'conll':
      return readConll(text, sink, signal);
    case 'text':
      sink.columns(['text']);
      for await (const chunk of text) {
        if (signal?.aborted) throw new DataImportError('Import cancelled.', 'cancelled');
        sink.text?.(chunk);
      }
  }
}
