// Bytes → text, streaming, for files we did not write. Refuses binary files (a NUL byte, or mostly
// control bytes) and anything that is not UTF-8, naming the line and byte; strips a UTF-8 byte order mark;
// turns CRLF and lone CR into LF so mixed line endings split the same as plain ones (also inside quoted
// CSV fields). Memory stays at one chunk whatever the file size.
import { DataImportError } from './errors.js';

const LF = 0x0a;

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
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) return i;
    i += n;
  }
  return -1;
}

function countLines(bytes: Uint8Array, end = bytes.length): number {
  let n = 0;
  for (let at = bytes.indexOf(LF); at !== -1 && at < end; at = bytes.indexOf(LF, at + 1)) n++;
  return n;
}

/** UTF-16 without a byte order mark: ASCII text with a zero byte beside every character. */
function looksUtf16(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  const pairs = Math.floor(head.length / 2);
  return (odd > 0.7 * pairs && even < 0.05 * pairs) || (even > 0.7 * pairs && odd < 0.05 * pairs);
}

function looksBinary(head: Uint8Array): number {
  const nul = head.indexOf(0);
  if (nul !== -1) return nul;
  let control = 0;
  for (const b of head) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  return head.length > 0 && control / head.length > 0.1 ? 0 : -1;
}

export interface DecodeProgress {
  /** Bytes consumed so far. */
  bytes: number;
}

/**
 * Decodes a stream of byte chunks into text chunks with LF line endings. Throws DataImportError
 * ('binary' or 'encoding') with the 1-based line and 0-based byte offset of the problem.
 */
export async function* decodeText(chunks: AsyncIterable<Uint8Array>, progress?: (p: DecodeProgress) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0; // bytes before the current chunk
  let line = 1; // line at the start of the current chunk
  let first = true;
  let carry = new Uint8Array(0); // incomplete UTF-8 tail of the previous chunk
  let pendingCR = false;
  for await (const raw of chunks) {
    let chunk = raw;
    if (first) {
      first = false;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
        throw new DataImportError('This file is UTF-16 text (it starts with a UTF-16 byte order mark). Save it as UTF-8 and import it again.', 'encoding', { line: 1, byte: 0 });
      }
      if (looksUtf16(chunk.subarray(0, 8192))) {
        throw new DataImportError('This file looks like UTF-16 text (every other byte is zero). Save it as UTF-8 and import it again.', 'encoding', { line: 1, byte: 0 });
      }
      const bin = looksBinary(chunk.subarray(0, 8192));
      if (bin !== -1) {
        throw new DataImportError(
          `This looks like a binary file, not text (${chunk[bin] === 0 ? 'a NUL byte' : 'mostly control bytes'} at byte ${bin}, line ${1 + countLines(chunk, bin)}). Import a CSV, TSV, JSONL or plain text file.`,
          'binary',
          { line: 1 + countLines(chunk, bin), byte: bin },
        );
      }
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
        offset += 3;
      }
    } else {
      const nul = chunk.indexOf(0);
      if (nul !== -1) {
        const at = line + countLines(chunk, nul);
        throw new DataImportError(`A NUL byte at line ${at}, byte ${offset + nul}: this is not a text file, or it is corrupt.`, 'binary', { line: at, byte: offset + nul });
      }
    }
    const joined = carry.length > 0 ? concat(carry, chunk) : chunk;
    const joinedStart = offset - carry.length;
    const bad = firstInvalidUtf8(joined);
    if (bad !== -1) {
      const at = line - countLines(carry) + countLines(joined, bad);
      const lineStart = joined.lastIndexOf(LF, bad - 1) + 1;
      throw new DataImportError(
        `Line ${at} is not UTF-8 text: byte 0x${joined[bad]!.toString(16).toUpperCase().padStart(2, '0')} at byte ${joinedStart + bad} (column ${bad - lineStart + 1} of the line, counting bytes). ` +
          'Save the file as UTF-8 (most editors offer "Save with encoding") and import it again.',
        'encoding',
        { line: at, byte: joinedStart + bad },
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
    const body = joined.subarray(0, cut);
    carry = joined.slice(cut);
    line += countLines(chunk);
    offset += chunk.length;
    let text = decoder.decode(body);
    if (pendingCR) text = '\r' + text;
    pendingCR = text.endsWith('\r');
    if (pendingCR) text = text.slice(0, -1);
    progress?.({ bytes: offset });
    if (text.length > 0) yield text.replace(/\r\n?/g, '\n');
  }
  if (carry.length > 0) {
    throw new DataImportError(`The file ends in the middle of a UTF-8 character (line ${line}, byte ${offset - carry.length}).`, 'encoding', {
      line,
      byte: offset - carry.length,
    });
  }
  if (pendingCR) yield '\n';
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
