// Streaming must not depend on where chunks break: a multi-byte character, a CRLF or a quoted field cut
// between two chunks decodes and parses the same as in one piece, and errors name the same line.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { decodeText, firstInvalidUtf8 } from '../../../../main/data/decode.js';
import { DataImportError } from '../../../../main/data/errors.js';
import { readRows, type Row } from '../../../../main/data/rows.js';

async function* chunked(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const c of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    yield bytes.subarray(at, c);
    at = c;
  }
  yield bytes.subarray(at);
}

async function decodeAll(bytes: Uint8Array, cuts: number[]): Promise<string> {
  let out = '';
  for await (const t of decodeText(chunked(bytes, cuts))) out += t;
  return out;
}

const text = fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => s.replace(/\0/g, ''));

describe('decodeText', () => {
  it('decodes the same whatever the chunk boundaries, with line endings made LF', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 8 }),
        fc.array(fc.nat(400), { maxLength: 6 }),
        async (lines, cuts) => {
          const raw = lines.map(([l, e]) => l + e).join('');
          const bytes = new TextEncoder().encode(raw);
          expect(await decodeAll(bytes, cuts)).toBe(raw.replace(/\r\n?/g, '\n'));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('names the same line and byte for a bad byte wherever the chunks break', async () => {
    const good = new TextEncoder().encode('a,b\nçé,1\n東京,2\n');
    const bytes = new Uint8Array([...good, 0x66, 0xe9, 0x0a]); // "f\xe9" on line 4 at byte good.length+1
    for (let cut = 1; cut < bytes.length; cut++) {
      const e = (await decodeAll(bytes, [cut]).catch((x: unknown) => x)) as DataImportError;
      expect(e).toBeInstanceOf(DataImportError);
      expect(e.where).toEqual({ line: 4, byte: good.length + 1 });
    }
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0); // an encoded surrogate is not UTF-8
    expect(firstInvalidUtf8(new Uint8Array([0xc0, 0x80]))).toBe(0); // overlong
    expect(firstInvalidUtf8(new Uint8Array([0xe6, 0x9d]))).toBe(-1); // incomplete tail: wait for more
  });

  it('refuses a NUL byte after the first chunk by line', async () => {
    const bytes = new TextEncoder().encode('x\ny\nz\0\n');
    const e = (await decodeAll(bytes, [2]).catch((x: unknown) => x)) as DataImportError;
    expect(e.code).toBe('binary');
    expect(e.where.line).toBe(3);
  });
});

describe('readRows (CSV)', () => {
  const field = fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((s) => s.replace(/\0/g, ''));
  it(
    'parses rows with quotes, ' + 'delimiters and newlines in fields the same whatever the chunking',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(field, field), { minLength: 1, maxLength: 6 }),
          fc.array(fc.nat(200), { maxLength: 5 }),
          async (rows, cuts) => {
            // Rows whose fields are blank would read as empty lines: make the second field non-blank.
            const data = rows.map(([a, b]) => [a, `x${b}`]);
            const csv = Papa.unparse([['a', 'b'], ...data], { quotes: true, newline: '\r\n' }) + '\r\n';
            const got: Row[] = [];
            await readRows(
              decodeText(chunked(new TextEncoder().encode(csv), cuts)),
              'csv',
              { header: true, encoding: 'utf-8', strict: false },
              {
                columns: (n) => expect(n).toEqual(['a', 'b']),
                row: (r) => got.push(r),
                error: (e) => expect.fail(`line ${e.line}: ${e.message}`),
              },
            );
            const norm = (s: string) => s.replace(/\r\n?/g, '\n');
            expect(got.map((r) => [r.values.a, r.values.b])).toEqual(
              data.map(([a, b]) => [norm(a!), norm(b!)]),
            );
            // Each row starts on the line after the previous row's last line.
            let line = 2;
            got.forEach((r, i) => {
              expect(r.line).toBe(line);
              line += 1 + (norm(data[i]![0]! + data[i]![1]!).match(/\n/g)?.length ?? 0);
            });
          },
        ),
        { numRuns: 100 },
      );
    },
  );
});

describe('readRows guard against an unclosed quote', () => {
  it('stops a row that runs on too long, naming the line where it starts', async () => {
    const csv = 'a,b\n1,2\n3,"never closed\n' + 'x,y\n'.repeat(2000);
    async function* pieces() {
      for (let at = 0; at < csv.length; at += 100) yield csv.slice(at, at + 100);
    }
    const sink = { columns: () => {}, row: () => {}, error: () => {} };
    const e = (await readRows(
      pieces(),
      'csv',
      { header: true, encoding: 'utf-8', strict: false },
      sink,
      undefined,
      { maxRowChars: 1000 },
    ).catch((x: unknown) => x)) as DataImportError;
    expect(e).toBeInstanceOf(DataImportError);
    expect(e.where.line).toBe(3);
    expect(e.message).toMatch(/^Line 3: this row runs on .* double quote on it is probably never closed/);
  });

  it('lets literal quotes inside unquoted fields and escaped quotes through', async () => {
    const csv = 'a,b\n5" screen,1\n"say ""hi""\nthere",2\n' + 'x,y\n'.repeat(2000);
    async function* pieces() {
      for (let at = 0; at < csv.length; at += 7) yield csv.slice(at, at + 7);
    }
    const rows: Row[] = [];
    await readRows(
      pieces(),
      'csv',
      { header: true, encoding: 'utf-8', strict: false },
      { columns: () => {}, row: (r) => rows.push(r), error: () => {} },
      undefined,
      {
        maxRowChars: 1000,
      },
    );
    expect(rows).toHaveLength(2002);
    expect(rows[1]!.values.a).toBe('say "hi"\nthere');
  });
});
