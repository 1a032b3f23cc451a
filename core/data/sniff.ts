// A first look at a data file, as pure functions over its first bytes and lines: which text encoding
// it is in, which format its name says, which delimiter splits its rows and whether its first row is a
// header. The importer (main/data) and the studio's import wizard both ask this module, so the preview
// and the import can never disagree about what the file is.
import type { FileFormat } from './spec.js';

/** Encodings the importer reads. Latin-1 files are read as Windows-1252 (a superset for printable text). */
export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** How people name the encodings (CLI flag, wizard choice) → the one we read. */
export function encodingFromName(name: string): TextEncoding | 'auto' | undefined {
  const n = name.trim().toLowerCase().replace(/_/g, '-');
  if (n === 'auto') return 'auto';
  if (n === 'utf8' || n === 'utf-8') return 'utf-8';
  if (n === 'utf-16le' || n === 'utf16le' || n === 'utf-16' || n === 'utf16') return 'utf-16le';
  if (n === 'utf-16be' || n === 'utf16be') return 'utf-16be';
  if (['windows-1252', 'cp1252', 'latin1', 'latin-1', 'iso-8859-1', 'ansi'].includes(n))
    return 'windows-1252';
  return undefined;
}

/** The name a person reads: "UTF-8", "Windows-1252". */
export function encodingLabel(e: TextEncoding): string {
  return {
    'utf-8': 'UTF-8',
    'utf-16le': 'UTF-16 (little-endian)',
    'utf-16be': 'UTF-16 (big-endian)',
    'windows-1252': 'Windows-1252',
  }[e];
}

export interface EncodingGuess {
  encoding: TextEncoding;
  /** Bytes of byte order mark to skip (0 when none). */
  bom: number;
  /** Why this encoding, when it is not plain UTF-8 (shown in the preview and the report). */
  note?: string;
}

export interface BinaryVerdict {
  /** Byte offset of the first tell-tale byte and the 1-based line it is on. */
  byte: number;
  line: number;
  why: 'a NUL byte' | 'mostly control bytes';
}

const LF = 0x0a;

function linesBefore(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let at = bytes.indexOf(LF); at !== -1 && at < end; at = bytes.indexOf(LF, at + 1)) n++;
  return n;
}

/** Index of the first byte that breaks UTF-8 in `bytes`, or -1 (an incomplete tail is not an error). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let n: number;
    if (b < 0x80) n = 1;
    else if (b >= 0xc2 && b <= 0xdf) n = 2;
    else if (b >= 0xe0 && b <= 0xef) n = 3;
    else if (b >= 0xf0 && b <= 0xf4) n = 4;
    else return i;
    if (i + n > bytes.length) {
      for (let k = i + 1; k < bytes.length; k++) if ((bytes[k]! & 0xc0) !== 0x80) return i;
      return -1;
    }
    for (let k = 1; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    const b1 = bytes[i + 1]!;
    if (
      (b === 0xe0 && b1 < 0xa0) ||
      (b === 0xed && b1 > 0x9f) ||
      (b === 0xf0 && b1 < 0x90) ||
      (b === 0xf4 && b1 > 0x8f)
    ) {
      return i;
    }
    i += n;
  }
  return -1;
}

/** UTF-16 without a byte order mark: ASCII text with a zero byte beside every character. */
function utf16WithoutBom(head: Uint8Array): TextEncoding | undefined {
  if (head.length < 8) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  const pairs = Math.floor(head.length / 2);
  if (odd > 0.7 * pairs && even < 0.05 * pairs) return 'utf-16le';
  if (even > 0.7 * pairs && odd < 0.05 * pairs) return 'utf-16be';
  return undefined;
}

/** Why `bytes` (a single-byte or UTF-8 text) is binary, or undefined when it reads as text. */
export function binaryVerdict(bytes: Uint8Array): BinaryVerdict | undefined {
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { byte: nul, line: 1 + linesBefore(bytes, nul), why: 'a NUL byte' };
  let control = 0;
  for (const b of bytes)
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  return bytes.length > 0 && control / bytes.length > 0.1
    ? { byte: 0, line: 1, why: 'mostly control bytes' }
    : undefined;
}

/**
 * The encoding of a file from its first bytes (the first 64 KB is plenty): a byte order mark decides;
 * else UTF-16 by its zero bytes; else UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what
 * Excel on Windows saves). Binary files are not text in any encoding: see `binaryVerdict`.
 */
export function detectEncoding(head: Uint8Array): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe)
    return { encoding: 'utf-16le', bom: 2, note: 'UTF-16 byte order mark' };
  if (head[0] === 0xfe && head[1] === 0xff)
    return { encoding: 'utf-16be', bom: 2, note: 'UTF-16 byte order mark' };
  const wide = utf16WithoutBom(head.subarray(0, 8192));
  if (wide)
    return { encoding: wide, bom: 0, note: 'every other byte is zero: UTF-16 without a byte order mark' };
  const bad = firstInvalidUtf8(head);
  if (bad !== -1) {
    return {
      encoding: 'windows-1252',
      bom: 0,
      note: `not valid UTF-8 (byte 0x${hex(head[bad]!)} on line ${1 + linesBefore(head, bad)})`,
    };
  }
  return { encoding: 'utf-8', bom: 0 };
}

export const hex = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');

// Windows-1252 bytes 0x80–0x9F (the rest of the code page is Latin-1, byte = code point). Five bytes are
// unassigned and keep their C1 code point, as browsers decode them. (Node's TextDecoder reads
// 'windows-1252' as plain Latin-1, so curly quotes and the euro sign would come out as control codes.)
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

/** Windows-1252 bytes → text (every byte is one character, so chunks decode independently). */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  const codes: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    codes.push(b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : b);
    if (codes.length === 8192) {
      out += String.fromCharCode(...codes);
      codes.length = 0;
    }
  }
  return out + String.fromCharCode(...codes);
}

/** The format a file name says; CSV when the name says nothing. */
export function formatFromName(name: string): FileFormat {
  const dot = name.lastIndexOf('.');
  switch (dot === -1 ? '' : name.slice(dot).toLowerCase()) {
    case '.tsv':
    case '.tab':
      return 'tsv';
    case '.jsonl':
    case '.ndjson':
      return 'jsonl';
    case '.conll':
    case '.conllu':
    case '.bio':
      return 'conll';
    case '.txt':
    case '.text':
    case '.md':
      return 'text';
    default:
      return 'csv';
  }
}

/** The delimiters the sniffer tries, in order, with the names people use for them (wizard, CLI). */
export const DELIMITERS = [',', '\t', ';', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
const DELIMITER_NAMES: Record<Delimiter, string> = {
  ',': 'comma',
  '\t': 'tab',
  ';': 'semicolon',
  '|': 'pipe',
};

/** "comma", "tab", "semicolon", "pipe" (any other delimiter is shown in quotes). */
export function delimiterName(d: string): string {
  return (DELIMITER_NAMES as Record<string, string>)[d] ?? `"${d}"`;
}

/** A delimiter as a person types it: a name ("tab", "semicolon"), "\\t", or the character itself. */
export function delimiterFromName(name: string): string {
  const n = name.trim().toLowerCase();
  if (n === '\\t') return '\t';
  const named = DELIMITERS.find((d) => DELIMITER_NAMES[d] === n);
  return named ?? name;
}

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
 * `complete` = the sample is the whole file (else its last line may be cut mid-row and is not counted).
 */
export function guessDelimiter(sample: string, complete = true): string {
  const lines = sample
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  if (lines.length > 1 && !complete) lines.pop();
  let best = { d: ',', score: 0 };
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => fieldCount(l, d));
    const first = counts[0] ?? 1;
    if (first < 2) continue;
    const agree = counts.filter((c) => c === first).length / counts.length;
    const score = agree + (agree === 1 ? first / 1000 : 0);
    if (score > best.score) best = { d, score };
  }
  return best.d;
}

/** Column names that say "header" when the first row has one of them. */
export const HEADER_WORDS = new Set([
  'text',
  'sentence',
  'review',
  'content',
  'document',
  'body',
  'comment',
  'tweet',
  'message',
  'utterance',
  'label',
  'class',
  'category',
  'sentiment',
  'labels',
  'target',
  'tag',
  'tags',
  'tokens',
  'words',
  'source',
  'src',
  'tgt',
  'input',
  'output',
  'question',
  'answer',
  'translation',
  'score',
  'value',
  'rating',
  'id',
  'ner_tags',
  'pos_tags',
  'prompt',
  'response',
  'x',
  'y',
]);

const isNumber = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));

/**
 * Whether the first of `rows` (parsed fields) is a header. Evidence, strongest first: a field that is a
 * usual column name ("text", "label") → header; a number, or a value that recurs below it in its column
 * (a label like "pos") → data; a column numeric below but not in the first row → header; otherwise a
 * header when its fields are much shorter than the rows' (names are short, text is long); a header when
 * nothing tells (most files have one). A column the user chose by name in the first row means a header.
 */
export function guessHeader(
  rows: readonly (readonly string[])[],
  chosen: readonly string[] = [],
): { header: boolean; why: string } {
  const first = rows[0];
  if (!first) return { header: true, why: 'no rows to judge by' };
  const picked = first.find((f) => chosen.includes(f.trim()));
  if (picked !== undefined)
    return { header: true, why: `the first row names the chosen column "${picked.trim()}"` };
  const rest = rows.slice(1, 50).filter((r) => r.length === first.length);
  const named = first.find((f) => HEADER_WORDS.has(f.trim().toLowerCase()));
  if (named !== undefined) return { header: true, why: `the first row names a column "${named.trim()}"` };
  const numeric = first.find(isNumber);
  if (numeric !== undefined)
    return { header: false, why: `the first row has a number (${numeric.trim()}), unlike column names` };
  if (first.some((f) => f.trim() === '')) return { header: false, why: 'the first row has an empty field' };
  if (rest.length === 0) return { header: true, why: 'only one row' };
  for (let c = 0; c < first.length; c++) {
    const below = rest.map((r) => r[c]!.trim());
    if (below.includes(first[c]!.trim()))
      return { header: false, why: `"${first[c]!.trim()}" also appears below it in column ${c + 1}` };
    if (below.every(isNumber)) return { header: true, why: `column ${c + 1} holds numbers below a name` };
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const headLength = mean(first.map((f) => f.length));
  const bodyLength = mean(rest.flatMap((r) => r.map((f) => f.length)));
  if (bodyLength > 3 * headLength)
    return { header: true, why: 'the first row is much shorter than the rows below' };
  // Nothing tells: most files have a header, and the preview shows the choice with a toggle to change it.
  return { header: true, why: 'nothing marks the first row as data' };
}
