// Text → rows, streaming, one callback per row with the line it starts on. CSV/TSV through papaparse
// (quotes, embedded newlines, any delimiter); JSONL one object per line; `lines` one example per line;
// `text` the whole file as one document, passed on in chunks. Rows are named by column: the header's
// names (trimmed; blanks and repeats made unique), or '1', '2', … without a header. CoNLL files give one
// row per sentence with `tokens` and `tags` lists.
import { Readable } from 'node:stream';
import Papa from 'papaparse';
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

const CANDIDATES = [',', '\t', ';', '|'];

/** Fields on one line for a delimiter, outside double quotes (good enough to compare delimiters). */
function fieldCount(line: string, delimiter: string): number {
  let n = 1;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === delimiter && !quoted) n++;
  }
  return n;
}

/**
 * The delimiter of a CSV from its first lines: the candidate that splits every line into the same number
 * (> 1) of fields, the most fields winning; else the one most lines agree on; else a comma (one column).
 * (papaparse's own guess fails on files as simple as `a;b` rows with a trailing newline.)
 */
export function guessDelimiter(sample: string): string {
  const lines = sample.split('\n').filter((l) => l.trim() !== '').slice(0, 20);
  if (lines.length > 1 && sample.length >= 64 * 1024) lines.pop(); // the last may be cut mid-row
  let best = { d: ',', score: 0 };
  for (const d of CANDIDATES) {
    const counts = lines.map((l) => fieldCount(l, d));
    const first = counts[0] ?? 1;
    if (first < 2) continue;
    const agree = counts.filter((c) => c === first).length / counts.length;
    const score = agree + (agree === 1 ? first / 1000 : 0);
    if (score > best.score) best = { d, score };
  }
  return best.d;
}

/** Longest row (in characters) before an import is stopped as a probable unclosed quote. */
export const MAX_ROW_CHARS = 16 * 1024 * 1024;

/**
 * Passes the text on to the parser while following its quoting (a quote opens a field only at the
 * field's start; inside, a doubled quote is a literal and a single one closes), so that a quote never
 * closed — which would make the parser swallow the rest of a 200 MB file into one field, in memory — is
 * stopped early and reported on the line where its row starts.
 */
async function* guardRows(first: string, rest: AsyncIterator<string>, delimiter: string, maxRowChars: number): AsyncGenerator<string> {
  let quoted = false;
  let pendingClose = false; // a quote ended the previous chunk inside a quoted field: close or escape?
  let before = '\n'; // the character before the chunk (the file starts a row)
  let line = 1;
  let rowLine = 1;
  let offset = 0;
  let rowStart = 0;
  for (let chunk: string | undefined = first; chunk !== undefined; ) {
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
        `Line ${rowLine}: this row runs on for more than ${Math.round(maxRowChars / 2 ** 20)} MB. A double quote on it is probably never closed; fix the quotes and import again.`,
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
  signal?: AbortSignal,
  maxRowChars = MAX_ROW_CHARS,
): Promise<void> {
  const iterator = source[Symbol.asyncIterator]();
  const head = await iterator.next();
  if (head.done) return;
  const delimiter = options.delimiter ?? (format === 'tsv' ? '\t' : guessDelimiter(head.value.slice(0, 64 * 1024)));
  const text = guardRows(head.value, iterator, delimiter, maxRowChars);
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
          if (fields.length === 1 && fields[0]!.trim() === '') return; // an empty line
          const quoteProblem = results.errors.find((e) => e.code === 'MissingQuotes' || e.code === 'InvalidQuotes');
          if (!names) {
            names = options.header ? uniqueNames(fields) : fields.map((_, i) => String(i + 1));
            sink.columns(names);
            if (options.header) return;
          }
          if (quoteProblem) {
            sink.error({ line: at, message: `${quoteProblem.message.replace(/\.$/, '')}: check the double quotes on this row` });
          } else if (fields.length !== names.length) {
            sink.error({ line: at, message: `has ${fields.length} field${fields.length === 1 ? '' : 's'} but the ${options.header ? 'header has' : 'first row has'} ${names.length}` });
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

async function readLines(text: AsyncIterable<string>, format: 'jsonl' | 'lines', sink: RowSink, signal?: AbortSignal): Promise<void> {
  let line = 0;
  let rest = '';
  let named = false;
  const take = (raw: string) => {
    line++;
    if (raw.trim() === '') return;
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
      sink.error({ line, message: `not valid JSON (${(e as Error).message})` });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      sink.error({ line, message: 'each JSONL line must be one object, like {"text": "…", "label": "…"}' });
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
  if (rest !== '') take(rest);
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
      sink.error({ line, message: 'expected a token and its tag separated by a space or tab' });
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
  limits: { maxRowChars?: number } = {},
): Promise<void> {
  switch (format) {
    case 'csv':
    case 'tsv':
      return readDelimited(text, format, options, sink, signal, limits.maxRowChars);
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
