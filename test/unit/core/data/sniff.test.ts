// The one sniffer the importer and the wizard share: encoding, format, delimiter, header.
import { describe, expect, it } from 'vitest';
import {
  binaryVerdict,
  decodeWindows1252,
  DELIMITERS,
  delimiterFromName,
  delimiterName,
  detectEncoding,
  encodingFromName,
  formatFromName,
  guessDelimiter,
  guessHeader,
} from '../../../../core/data/sniff.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('detectEncoding', () => {
  it(
    'a byte order mark decides; UTF-16 by its zero bytes; ' +
      'valid UTF-8; else Windows-1252 with the first bad byte',
    () => {
      expect(detectEncoding(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({
        encoding: 'utf-8',
        bom: 3,
      });
      expect(detectEncoding(Uint8Array.from([0xff, 0xfe, 0x61, 0]))).toMatchObject({
        encoding: 'utf-16le',
        bom: 2,
      });
      expect(detectEncoding(Uint8Array.from([0xfe, 0xff, 0, 0x61]))).toMatchObject({
        encoding: 'utf-16be',
        bom: 2,
      });
      expect(
        detectEncoding(Uint8Array.from([...'text,label\n'].flatMap((c) => [c.charCodeAt(0), 0]))),
      ).toMatchObject({ encoding: 'utf-16le', bom: 0 });
      expect(detectEncoding(bytes('café, naïve\n'))).toEqual({ encoding: 'utf-8', bom: 0 });
      expect(detectEncoding(Uint8Array.from([0x61, 0x0a, 0x63, 0xe9, 0x0a]))).toEqual({
        encoding: 'windows-1252',
        bom: 0,
        note: 'not valid UTF-8 (byte 0xE9 on line 2)',
      });
    },
  );

  it('binary: a NUL byte or mostly control bytes, with where', () => {
    expect(binaryVerdict(Uint8Array.from([0x61, 0x0a, 0x62, 0]))).toEqual({
      byte: 3,
      line: 2,
      why: 'a NUL byte',
    });
    expect(binaryVerdict(Uint8Array.from([1, 2, 3, 4, 0x61]))).toEqual({
      byte: 0,
      line: 1,
      why: 'mostly control bytes',
    });
    expect(binaryVerdict(bytes('plain\ttext\r\n'))).toBeUndefined();
  });

  it('Windows-1252 decodes the 0x80–0x9F range (euro, curly quotes, dashes) and Latin-1 above', () => {
    expect(decodeWindows1252(Uint8Array.from([0x80, 0x93, 0x94, 0x96, 0xe9, 0x41]))).toBe('€“”–éA');
    expect(encodingFromName('latin1')).toBe('windows-1252');
    expect(encodingFromName('UTF8')).toBe('utf-8');
    expect(encodingFromName('klingon')).toBeUndefined();
  });
});

describe('format, delimiter and header', () => {
  it('format from the name', () => {
    expect(formatFromName('a.TSV')).toBe('tsv');
    expect(formatFromName('b.ndjson')).toBe('jsonl');
    expect(formatFromName('c.txt')).toBe('text');
    expect(formatFromName('noext')).toBe('csv');
  });

  it('the delimiter every line agrees on; quotes hide delimiters; a cut last line is not counted', () => {
    expect(guessDelimiter('text;label\nfoo;1\n')).toBe(';');
    expect(guessDelimiter('"a, b"|c\n"d, e"|f\n')).toBe('|');
    expect(guessDelimiter('a\tb\tc\nd\te\tf\n')).toBe('\t');
    expect(guessDelimiter('one column\nonly\n')).toBe(',');
    expect(guessDelimiter('a,b\nc,d\ne,f,g,h', false)).toBe(',');
  });

  it('names the delimiters it knows as people do, and reads those names back (wizard, --delimiter)', () => {
    expect(DELIMITERS.map(delimiterName)).toEqual(['comma', 'tab', 'semicolon', 'pipe']);
    for (const d of DELIMITERS) expect(delimiterFromName(delimiterName(d))).toBe(d);
    expect(delimiterFromName('Semicolon')).toBe(';');
    expect(delimiterFromName('\\t')).toBe('\t');
    expect(delimiterFromName(':')).toBe(':');
    expect(delimiterName(':')).toBe('":"');
  });

  it(
    'a header by its names, numbers below it, or short names over long text; ' +
      'data when values recur or are numbers',
    () => {
      expect(
        guessHeader([
          ['text', 'label'],
          ['a', 'b'],
        ]).header,
      ).toBe(true);
      expect(
        guessHeader([
          ['review_body', 'stars'],
          ['loved it', '5'],
          ['meh', '2'],
        ]),
      ).toEqual({ header: true, why: 'column 2 holds numbers below a name' });
      expect(
        guessHeader([
          ['great movie', 'pos'],
          ['bad', 'neg'],
          ['fine', 'pos'],
        ]),
      ).toEqual({ header: false, why: '"pos" also appears below it in column 2' });
      expect(
        guessHeader([
          ['0.5', '1'],
          ['0.2', '0'],
        ]).header,
      ).toBe(false);
      expect(
        guessHeader([
          ['q', 'a'],
          ['what is the capital of france', 'paris is the capital'],
        ]).header,
      ).toBe(true);
      // Nothing tells (pairs of prose): a header, as most files have; a
      // chosen column name in the first row: a header.
      expect(
        guessHeader([
          ['the cat sat', 'le chat'],
          ['a dog ran', 'un chien'],
        ]),
      ).toEqual({ header: true, why: 'nothing marks the first row as data' });
      expect(
        guessHeader(
          [
            ['__proto__', 'x'],
            ['a', 'b'],
          ],
          ['__proto__'],
        ),
      ).toEqual({
        header: true,
        why: 'the first row names the chosen column "__proto__"',
      });
    },
  );
});
