// The nasty-file corpus (test/fixtures/data): each file imports with the expected rows, or is refused
// with an error naming the line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataImportError, importDataset } from '../../../../main/data/index.js';

const fixture = (name: string) => new URL(`../../../fixtures/data/${name}`, import.meta.url).pathname;
const refusal = async (name: string, options = {}) => {
  const e = await importDataset({ path: fixture(name) }, options).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataImportError);
  return e as DataImportError;
};

describe('importDataset on nasty files', () => {
  it('quoted commas, escaped quotes and newlines inside fields', async () => {
    const r = await importDataset({ path: fixture('quoted.csv') });
    expect(r.spec.task).toBe('classification');
    expect(r.stats.examples).toBe(4);
    expect(r.errorCount).toBe(0);
    expect(r.preview.rows.map((x) => x.line)).toEqual([2, 3, 5, 6]); // the embedded newline takes line 4
    expect(r.preview.rows[0]!.text).toEqual(['Great', 'film', ',', 'really', 'great']);
    expect(r.spec.labels).toEqual(['neg', 'pos']);
  });

  it('mixed line endings (CRLF, LF, lone CR) and a BOM', async () => {
    const mixed = await importDataset({ path: fixture('mixed-endings.csv') });
    expect(mixed.preview.rows.map((x) => [x.line, x.text])).toEqual([
      [2, ['first']],
      [3, ['second']],
      [4, ['third']],
      [5, ['multi', 'line']],
    ]);
    const bom = await importDataset({ path: fixture('bom.csv') });
    expect(bom.preview.columns).toEqual(['text', 'label']);
    expect(bom.spec.columns).toEqual({ text: 'text', label: 'label' });
  });

  it('skips empty and blank lines, keeping true line numbers', async () => {
    const r = await importDataset({ path: fixture('empty-lines.csv') });
    expect(r.preview.rows.map((x) => x.line)).toEqual([3, 6, 8]);
    expect(r.errorCount).toBe(0);
  });

  it('refuses a binary file, naming the byte and line', async () => {
    const e = await refusal('binary.bin');
    expect(e.code).toBe('binary');
    expect(e.message).toMatch(/binary file.*NUL byte at byte 8, line 3/);
  });

  it('reads non-UTF-8 text as Windows-1252, and UTF-16 by its byte order mark', async () => {
    const latin = await importDataset({ path: fixture('latin1.csv') }, { task: 'classification' });
    expect(latin.spec.source.kind === 'embedded' && latin.spec.source.options.encoding).toBe('windows-1252');
    expect(latin.preview.rows[1]!.text).toEqual(['café', 'au', 'lait']);
    expect(latin.report.reading).toMatchObject({
      encoding: 'windows-1252',
      encodingNote: 'not valid UTF-8 (byte 0xE9 on line 3)',
    });
    const forced = await refusal('latin1.csv', { encoding: 'utf-8' });
    expect(forced.where).toMatchObject({ line: 3, byte: 23 });
    expect(forced.message).toMatch(/^Line 3 is not UTF-8 text: byte 0xE9.*Choose another encoding/);
    const wide = await importDataset(
      { path: fixture('utf16.csv') },
      { task: 'language-model', columns: { text: 'text' } },
    );
    expect(wide.report.reading.encoding).toBe('utf-16le');
    expect(wide.preview.rows[0]!.text).toEqual(['h', 'e', 'l', 'l', 'o']);
    const nobom = await importDataset(
      { path: fixture('utf16-nobom.csv') },
      { task: 'language-model', columns: { text: 'text' } },
    );
    expect(nobom.report.reading.encodingNote).toMatch(/UTF-16 without a byte order mark/);
  });

  it('reads a one-column CSV as lines of text', async () => {
    const r = await importDataset({ path: fixture('one-column.csv') });
    expect(r.spec.task).toBe('language-model');
    expect(r.stats.examples).toBe(3);
    const e = await refusal('one-column.csv', { task: 'classification' });
    expect(e.message).toBe(
      'This file has one column ("sentence"), but the task needs a label column as well. ' +
        'Choose a file with that column, or another task.',
    );
  });

  it('reports ragged rows by line and keeps the rest; strict mode stops at the first', async () => {
    const r = await importDataset({ path: fixture('ragged.csv') });
    expect(r.stats.examples).toBe(3);
    expect(r.errors).toEqual([
      { line: 3, message: 'has 3 fields but the header has 2', reason: 'wrong number of fields (not 2)' },
      { line: 5, message: 'has 1 field but the header has 2', reason: 'wrong number of fields (not 2)' },
    ]);
    const e = await refusal('ragged.csv', { strict: true });
    expect(e.message).toBe('Line 3: has 3 fields but the header has 2.');
    expect(e.where.line).toBe(3);
  });

  it('an unterminated quote is a row error on the line where it opens', async () => {
    const r = await importDataset(
      { path: fixture('unterminated-quote.csv') },
      { task: 'language-model', columns: { text: 'text' } },
    );
    expect(r.errors[0]).toMatchObject({ line: 3 });
    expect(r.errors[0]!.message).toMatch(/double quotes/);
  });

  it('guesses a semicolon delimiter; numbers for regression, bad ones by line', async () => {
    const r = await importDataset(
      { path: fixture('semicolon.csv') },
      { task: 'regression', columns: { text: 'review', targets: ['stars'] } },
    );
    expect(r.stats.examples).toBe(3);
    expect(r.preview.rows[1]!.text).toEqual(['a', ';', 'tricky', 'one']);
    const reg = await importDataset({ path: fixture('regression.csv') }, { task: 'regression' });
    expect(reg.errors.map((x) => x.line)).toEqual([4, 5]);
    expect(reg.errors[0]!.message).toBe('column "score" is not a number ("abc")');
  });

  it('TSV sentence pairs become seq2seq; JSONL tagging reports bad lines', async () => {
    const pairs = await importDataset({ path: fixture('pairs.tsv') });
    expect(pairs.spec.task).toBe('seq2seq');
    expect(pairs.spec.tokenizer.kind).toBe('character');
    expect(pairs.preview.rows[0]!.target).toEqual(['1', '6', '8']);
    const tagged = await importDataset({ path: fixture('tagged.jsonl') });
    expect(tagged.spec.task).toBe('tagging');
    expect(tagged.spec.labels).toEqual(['DET', 'NOUN', 'VERB']);
    expect(tagged.stats.examples).toBe(3);
    expect(tagged.errors.map((x) => x.line)).toEqual([3, 4, 5]);
    expect(tagged.errors[1]!.message).toBe('2 tokens but 1 tags: they must align one to one');
  });

  it('CoNLL tagging files: one sentence per row, bad lines reported', async () => {
    const r = await importDataset({ path: fixture('ner.conll') });
    expect(r.spec.task).toBe('tagging');
    expect(r.stats.examples).toBe(3);
    expect(r.preview.rows.map((x) => [x.line, x.tags])).toEqual([
      [3, ['B-ORG', 'O', 'B-MISC', 'O', 'O']],
      [9, ['B-PER', 'I-PER']],
      [14, ['B-LOC']],
    ]);
    expect(r.errors).toEqual([
      { line: 12, message: 'expected a token and its tag separated by a space or tab', reason: 'no tag' },
    ]);
  });

  it('plain text: one document for a language model, or one example per line', async () => {
    const doc = await importDataset({ path: fixture('corpus.txt') }, { maxLength: 16 });
    expect(doc.spec.task).toBe('language-model');
    expect(doc.stats.examples).toBe(Math.ceil((110 - 1) / 16));
    const lines = await importDataset({ path: fixture('lines.txt') }, { format: 'lines' });
    expect(lines.preview.rows.map((x) => x.line)).toEqual([1, 2, 4]);
    expect((await refusal('corpus.txt', { task: 'classification' })).message).toMatch(/one document/);
  });

  it('refuses empty files and unknown columns clearly', async () => {
    expect((await refusal('empty.csv')).message).toBe('empty.csv is empty.');
    expect((await refusal('header-only.csv')).message).toBe('header-only.csv has no rows below its header.');
    const e = await refusal('reviews.csv', { columns: { text: 'body' } });
    expect(e.message).toBe(
      'There is no column "body" (chosen for the text). The columns are: "id", "review", "sentiment".',
    );
    expect((await refusal('reviews.csv', { tokenizer: { kind: 'letters' } })).message).toMatch(
      /^Import option tokenizer.kind/,
    );
    expect((await refusal('nope.csv')).code).toBe('not-found');
  });

  it('guesses columns, builds the vocabulary and reports statistics and balance', async () => {
    const r = await importDataset({ path: fixture('reviews.csv') }, { tokenizer: { lowercase: true } });
    expect(r.spec.columns).toEqual({ text: 'review', label: 'sentiment' });
    expect(r.spec.tokenizer.kind).toBe('word');
    // by frequency: 4, 4, 3
    expect(r.spec.vocabulary?.slice(0, 7)).toEqual(['<pad>', '<unk>', '<s>', '</s>', ',', '.', 'boring']);
    expect(r.stats.labels).toEqual([
      { label: 'negative', count: 3, fraction: 0.5 },
      { label: 'positive', count: 3, fraction: 0.5 },
    ]);
    expect(r.stats.lengths.max).toBe(6);
    expect(r.stats.vocabulary.coverage).toBe(1);
    expect(r.spec.source).toMatchObject({ kind: 'embedded', entry: 'data/reviews.csv', format: 'csv' });
    expect(r.embed?.path).toBe(fixture('reviews.csv'));
  });

  it('imports uploaded bytes and references big files by path when asked', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('reviews.csv')));
    const up = await importDataset({ fileName: 'my reviews.csv', bytes });
    expect(up.embed).toEqual({ entry: 'data/my_reviews.csv', bytes });
    const byPath = await importDataset({ path: fixture('reviews.csv') }, { embed: false });
    expect(byPath.embed).toBeUndefined();
    expect(byPath.spec.source).toMatchObject({
      kind: 'file',
      path: fixture('reviews.csv'),
      size: bytes.length,
    });
  });

  it('reports progress up to 1', async () => {
    const seen: number[] = [];
    await importDataset({ path: fixture('reviews.csv') }, {}, (p) => seen.push(p.fraction));
    expect(seen.at(-1)).toBe(1);
  });
});
