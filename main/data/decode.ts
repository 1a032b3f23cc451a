// Bytes → text, streaming, for files we did not write. The encoding is detected from the first chunk
// (core/data/sniff.ts: byte order mark, UTF-16 zero bytes, valid UTF-8, else Windows-1252) or forced by
// the user; binary files are refused naming the line and byte. A byte order mark is stripped; CRLF and lone
// CR become LF so mixed line endings split the same as plain ones (also inside quoted CSV fields). Memory
// stays at one chunk whatever the file size.
import {
  binaryVerdict,
  decodeWindows1252,
  detectEncoding,
  firstInvalidUtf8,
  hex,
  type EncodingGuess,
  type TextEncoding,
} from '../../core/data/sniff.js';
import { DataImportError } from './errors.js';

export { firstInvalidUtf8 };

const LF = 0x0a;

function countLines(bytes: Uint8Array, end = bytes.length): number {
  let n = 0;
  for (let at = bytes.indexOf(LF); at !== -1 && at < end; at = bytes.indexOf(LF, at + 1)) n++;
  return n;
}

/** UTF-8 that breaks after the first chunk, when the encoding was detected: read again as Windows-1252. */
export class NotUtf8Error extends DataImportError {
  constructor(message: string, where: { line: number; byte: number }) {
    super(message, 'encoding', where);
    this.name = 'NotUtf8Error';
  }
}

export interface DecodeProgress {
  /** Bytes consumed so far. */
  bytes: number;
}

export interface DecodeOptions {
  /** Read the file as this encoding; 'auto' (default) detects it from the first chunk. */
  encoding?: TextEncoding | 'auto';
  progress?: (p: DecodeProgress) => void;
  /** Called once with the encoding used, before any text. */
  detected?: (guess: EncodingGuess) => void;
}

function refuseBinary(chunk: Uint8Array): void {
  const bin = binaryVerdict(chunk.subarray(0, 8192));
  if (!bin) return;
  throw new DataImportError(
    `This looks like a binary file, not text (${bin.why} at byte ${bin.byte}, line ${bin.line}). ` +
      `Import a CSV, TSV, JSONL or plain text file.`,
    'binary',
    { line: bin.line, byte: bin.byte },
  );
}

/**
 * Decodes a stream of byte chunks into text chunks with LF line endings. Throws DataImportError
 * ('binary' or 'encoding') with the 1-based line and 0-based byte offset of the problem; NotUtf8Error when
 * a detected UTF-8 file turns out not to be (the caller reads it again as Windows-1252).
 */
export async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
  options: DecodeOptions = {},
): AsyncGenerator<string> {
  let offset = 0; // bytes before the current chunk
  let line = 1; // line at the start of the current chunk
  let guess: EncodingGuess | undefined;
  let wide: InstanceType<typeof TextDecoder> | undefined; // UTF-16
  let carry = new Uint8Array(0); // incomplete UTF-8 tail of the previous chunk
  let pendingCR = false;
  for await (const raw of chunks) {
    let chunk = raw;
    if (!guess) {
      const detected = detectEncoding(chunk.subarray(0, 64 * 1024));
      const forced = options.encoding && options.encoding !== 'auto' ? options.encoding : undefined;
      guess = forced ? { encoding: forced, bom: detected.encoding === forced ? detected.bom : 0 } : detected;
      if (guess.encoding === 'utf-16le' || guess.encoding === 'utf-16be')
        wide = new TextDecoder(guess.encoding, { fatal: false });
      else refuseBinary(chunk);
      options.detected?.(guess);
      chunk = chunk.subarray(guess.bom);
      offset += guess.bom;
    } else if (!wide) {
      const nul = chunk.indexOf(0);
      if (nul !== -1) {
        const at = line + countLines(chunk, nul);
        throw new DataImportError(
          `A NUL byte at line ${at}, byte ${offset + nul}: this is not a text file, or it is corrupt.`,
          'binary',
          {
            line: at,
            byte: offset + nul,
          },
        );
      }
    }
    let text: string;
    if (wide) text = wide.decode(chunk, { stream: true });
    else if (guess.encoding === 'windows-1252') text = decodeWindows1252(chunk);
    else {
      const joined = carry.length > 0 ? concat(carry, chunk) : chunk;
      const joinedStart = offset - carry.length;
      const bad = firstInvalidUtf8(joined);
      if (bad !== -1) {
        const at = line - countLines(carry) + countLines(joined, bad);
        const lineStart = joined.lastIndexOf(LF, bad - 1) + 1;
        const where = { line: at, byte: joinedStart + bad };
        const what =
          `Line ${at} is not UTF-8 text: byte 0x${hex(joined[bad]!)} at byte ` +
          `${joinedStart + bad} (column ${bad - lineStart + 1} of the line, counting bytes).`;
        if (options.encoding === undefined || options.encoding === 'auto')
          throw new NotUtf8Error(what, where);
        throw new DataImportError(
          `${what} Choose another encoding (Windows-1252 for files saved by Excel on Windows), ` +
            `or save the file as UTF-8.`,
          'encoding',
          where,
        );
      }
      // Keep an incomplete multi-byte character for the next chunk.
      let cut = joined.length;
      for (let k = Math.max(0, joined.length - 3); k < joined.length; k++) {
        const b = joined[k]!;
        const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
        if (need > 0 && k + need > joined.length) {
          cut = k;
          break;
        }
      }
      carry = joined.slice(cut);
      text = new TextDecoder('utf-8').decode(joined.subarray(0, cut));
    }
    line += countLines(chunk);
    offset += chunk.length;
    if (pendingCR) text = '\r' + text;
    pendingCR = text.endsWith('\r');
    if (pendingCR) text = text.slice(0, -1);
    options.progress?.({ bytes: offset });
    if (text.length > 0) yield text.replace(/\r\n?/g, '\n');
  }
  if (carry.length > 0) {
    throw new DataImportError(
      `The file ends in the middle of a UTF-8 character (line ${line}, byte ${offset - carry.length}).`,
      'encoding',
      {
        line,
        byte: offset - carry.length,
      },
    );
  }
  if (wide) {
    const tail = wide.decode();
    if (tail) yield (pendingCR ? '\r' + tail : tail).replace(/\r\n?/g, '\n');
    else if (pendingCR) yield '\n';
    return;
  }
  if (pendingCR) yield '\n';
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
