// The import report for each kind of file a user brings: what was kept, what was skipped and why (with the
// first lines), how the file was read (encoding, delimiter, header); and the files that are refused.
import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../../core/data/importReport.js';
import { DataImportError, importDataset, previewImport } from '../../../../main/data/index.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const upload = (fileName: string, bytes: Uint8Array) => ({ fileName, bytes });
const refused = async (work: Promise<unknown>) => {
  const e = await work.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DataImportError);
  return e as DataImportError;
};

describe('import report', () => {
  it('ragged CSV: kept and skipped counted, the reason with the first lines', async () => {
    const csv = 'text,label\ngood,pos\ntoo,many,fields\nbad,neg\nlonely\nfine,pos\nalso,too,many\n';
    const r = await importDataset(upload('ragged.csv', utf8(csv)), { task: 'classification' });
    expect(r.report).toMatchObject({ rowsKept: 3, rowsSkipped: 3, emptyLines: 0 });
    expect(r.report.skipped).toEqual([
      { reason: 'wrong number of fields (not 2)', count: 3, lines: [3, 5, 7] },
    ]);
    expect(r.report.firstSkipped[0]).toEqual({ line: 3, message: 'has 3 fields but the header has 2' });
    expect(r.report.reading).toMatchObject({
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ',',
      header: true,
    });
    expect(describeReport(r.report)).toEqual([
      'Read CSV, read as UTF-8, delimiter ",", first row is the header (the first row names a column ' +
        '"text").',
      'Kept 3 rows of 6; skipped 3 rows.',
      '  wrong number of fields (not 2): 3 rows (lines 3, 5, 7)',
    ]);
  });

  it(
    'headerless TSV: the first row is seen to be data, ' +
      'columns are numbered; the header setting can be changed',
    async () => {
      const tsv = 'great movie\tpos\nawful film\tneg\nloved every minute\tpos\nboring\tneg\n';
      const r = await importDataset(upload('reviews.tsv', utf8(tsv)), { task: 'classification' });
      expect(r.report.reading).toMatchObject({
        format: 'tsv',
        header: false,
        headerNote: '"pos" also appears below it in column 2',
      });
      expect(r.report).toMatchObject({ rowsKept: 4, rowsSkipped: 0 });
      expect(r.spec.columns).toEqual({ text: '1', label: '2' });
      expect(r.spec.labels).toEqual(['neg', 'pos']);
      expect(r.spec.source.kind === 'embedded' && r.spec.source.options.header).toBe(false);
      const asHeader = await importDataset(upload('reviews.tsv', utf8(tsv)), {
        task: 'classification',
        header: true,
        columns: { text: 'great movie', label: 'pos' },
      });
      expect(asHeader.report).toMatchObject({ rowsKept: 3, reading: { header: true } });
      expect(asHeader.report.reading.headerNote).toBeUndefined();
    },
  );

  it('truncated JSONL: the cut-off last line is skipped and said to be cut off', async () => {
    const jsonl = '{"text": "a b", "label": "x"}\n{"text": "c", "label": "y"}\n{"text": "d", "lab';
    const r = await importDataset(upload('cut.jsonl', utf8(jsonl)), { task: 'classification' });
    expect(r.report).toMatchObject({ rowsKept: 2, rowsSkipped: 1 });
    expect(r.report.skipped).toEqual([{ reason: 'last line cut off', count: 1, lines: [3] }]);
    expect(r.report.firstSkipped[0]!.message).toBe(
      'the last line is cut off (incomplete JSON): the file seems truncated',
    );
    const broken = await importDataset(
      upload('bad.jsonl', utf8('{"text": "a", "label": "x"}\n{oops}\n{"text": "b", "label": "y"}\n')),
      {
        task: 'classification',
      },
    );
    expect(broken.report.skipped).toEqual([{ reason: 'not valid JSON', count: 1, lines: [2] }]);
  });

  it('runs of empty lines: counted, with their line numbers, and the rows keep theirs', async () => {
    const csv = 'text,label\n\n\nfirst,pos\n\n\n\nsecond,neg\n   \nthird,pos\n';
    const r = await importDataset(upload('gaps.csv', utf8(csv)), { task: 'classification' });
    expect(r.report).toMatchObject({ rowsKept: 3, rowsSkipped: 0, emptyLines: 6 });
    expect(r.report.skipped).toEqual([{ reason: 'empty line', count: 6, lines: [2, 3, 5, 6, 7] }]);
    expect(r.preview.rows.map((x) => x.line)).toEqual([4, 8, 10]);
    expect(describeReport(r.report)[1]).toBe('Kept 3 rows of 3; skipped 0 rows and 6 empty lines.');
  });

  it('one class left: the classification import is refused with that reason', async () => {
    const csv = 'text,label\nfine,pos\ngood,pos\nawful,neg,really\n';
    const e = await refused(importDataset(upload('one.csv', utf8(csv)), { task: 'classification' }));
    expect(e.code).toBe('columns');
    expect(e.message).toBe(
      'Only one class ("pos") in the "label" column (1 of 3 rows were skipped): ' +
        'a classifier needs at least two classes to learn. ' +
        'Check that the label column is the right one and that the header setting matches the file.',
    );
    expect(e.message).not.toMatch(/--/); // names the studio's choices, not command-line flags
  });

  it(
    'Windows-1252: read as Windows-1252 when the bytes are not UTF-8, ' +
      'said so, curly quotes and accents intact',
    async () => {
      const bytes = Uint8Array.from([
        ...utf8('text,label\n'),
        ...[0x63, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x6f, 0x6b, 0x94], // café “ok”
        ...utf8(',pos\nna'),
        0xef, // ï
        ...utf8('ve '),
        0x80, // the euro sign in Windows-1252
        ...utf8(' 5,neg\n'),
      ]);
      const r = await importDataset(upload('excel.csv', bytes), {
        task: 'classification',
        tokenizer: { kind: 'character' },
      });
      expect(r.report.reading).toMatchObject({
        encoding: 'windows-1252',
        encodingChosen: false,
        encodingNote: 'not valid UTF-8 (byte 0xE9 on line 2)',
      });
      expect(r.report).toMatchObject({ rowsKept: 2, rowsSkipped: 0 });
      expect((r.preview.rows[0]!.text as string[]).join('')).toBe('café “ok”');
      expect((r.preview.rows[1]!.text as string[]).join('')).toBe('naïve € 5');
      expect(describeReport(r.report)[0]).toContain(
        'read as Windows-1252 (not valid UTF-8 (byte 0xE9 on line 2))',
      );
      // A non-UTF-8 byte beyond the first 64 KB: the file is read again, whole, as Windows-1252.
      const late = Uint8Array.from([
        ...utf8('text,label\n' + 'fine,pos\n'.repeat(8000) + 'caf'),
        0xe9,
        ...utf8(',neg\n'),
      ]);
      const again = await importDataset(upload('late.csv', late), { task: 'classification' });
      expect(again.report.reading).toMatchObject({
        encoding: 'windows-1252',
        encodingNote: 'not valid UTF-8 (byte 0xE9 on line 8002)',
      });
      expect(again.report.rowsKept).toBe(8001);
    },
  );

  it('UTF-16 with a byte order mark: decoded, counted like UTF-8', async () => {
    const text = 'text,label\nhello there,pos\nbye now,neg\n\nagain,pos\n';
    const bytes = new Uint8Array(2 + 2 * text.length);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) bytes[2 + 2 * i] = text.charCodeAt(i);
    const r = await importDataset(upload('wide.csv', bytes), { task: 'classification' });
    expect(r.report.reading).toMatchObject({
      encoding: 'utf-16le',
      encodingNote: 'UTF-16 byte order mark',
      header: true,
    });
    expect(r.report).toMatchObject({ rowsKept: 3, rowsSkipped: 0, emptyLines: 1 });
    expect(r.spec.labels).toEqual(['neg', 'pos']);
    expect(r.preview.rows[0]!.text).toEqual(['hello', 'there']);
  });

  it(
    'binary: refused, naming the byte and the line; ' + 'forcing an encoding does not read it either',
    async () => {
      const bytes = Uint8Array.from([...utf8('PK\x03\x04 text\nmore\n'), 0, 1, 2, 3]);
      const e = await refused(importDataset(upload('archive.csv', bytes), { task: 'classification' }));
      expect(e.code).toBe('binary');
      expect(e.where).toEqual({ line: 3, byte: 15 });
      expect(e.message).toBe(
        'This looks like a binary file, not text (a NUL byte at byte 15, line 3). Import a CSV, TSV, ' +
          'JSONL or plain text file.',
      );
      expect(
        (await refused(importDataset(upload('archive.csv', bytes), { encoding: 'windows-1252' }))).code,
      ).toBe('binary');
    },
  );
});

describe('import preview', () => {
  it(
    'a headerless TSV: how it is read, the first rows as parsed, ' +
      'the columns picked; the header toggle re-reads it',
    async () => {
      const tsv = 'great movie\tpos\nawful film\tneg\n\nloved it\tpos\n';
      const p = await previewImport(upload('r.tsv', utf8(tsv)), { task: 'classification' });
      expect(p.reading).toMatchObject({ format: 'tsv', encoding: 'utf-8', delimiter: '\t', header: false });
      expect(p.columns).toEqual(['1', '2']);
      expect(p.roles).toEqual({ text: '1', label: '2' });
      expect(p.rows).toEqual([
        { line: 1, values: ['great movie', 'pos'] },
        { line: 2, values: ['awful film', 'neg'] },
        { line: 4, values: ['loved it', 'pos'] },
      ]);
      expect(p.sample).toMatchObject({ rowsKept: 3, rowsSkipped: 0, emptyLines: 1 });
      const flipped = await previewImport(upload('r.tsv', utf8(tsv)), {
        task: 'classification',
        header: true,
      });
      expect(flipped.columns).toEqual(['great movie', 'pos']);
      expect(flipped.rows).toHaveLength(2);
    },
  );

  it('the delimiter chosen re-reads the preview, and the import reads the file the same way', async () => {
    // Semicolons between the fields and commas inside the text: the guess takes the semicolon.
    const csv = 'text;label\ngood, really;pos\nbad, truly;neg\nfine, yes;pos\n';
    const guessed = await previewImport(upload('s.csv', utf8(csv)), { task: 'classification' });
    expect(guessed.reading.delimiter).toBe(';');
    expect(guessed.rows[0]).toEqual({ line: 2, values: ['good, really', 'pos'] });
    const comma = await previewImport(upload('s.csv', utf8(csv)), { task: 'classification', delimiter: ',' });
    expect(comma.reading.delimiter).toBe(',');
    expect(comma.columns).toEqual(['text;label']);
    expect(comma.sample).toMatchObject({ rowsKept: 0, rowsSkipped: 3 });
    expect(comma.problem).toMatch(/Cannot tell which column holds the text|label column/);
    const pipe = 'text|label\ngood, really|pos\nbad, truly|neg\n';
    const chosen = await previewImport(upload('p.csv', utf8(pipe)), {
      task: 'classification',
      delimiter: '|',
    });
    expect(chosen.rows[1]).toEqual({ line: 3, values: ['bad, truly', 'neg'] });
    const imported = await importDataset(upload('p.csv', utf8(pipe)), {
      task: 'classification',
      delimiter: '|',
    });
    expect(imported.report.reading.delimiter).toBe('|');
    expect(imported.report.rowsKept).toBe(2);
  });

  it('a one-column CSV for a classifier: the preview says what is missing', async () => {
    const p = await previewImport(upload('one.csv', utf8('sentence\nthe cat sat\na dog barked\n')), {
      task: 'classification',
    });
    expect(p.problem).toBe(
      'This file has one column ("sentence"), but the task needs a label column as well. ' +
        'Choose a file with that column, or another task.',
    );
    expect(p.rows).toHaveLength(2);
  });

  it('only the start of a big upload: rows cut at the last whole line', async () => {
    const head = utf8('text,label\n' + 'a fine row,pos\n'.repeat(5000)).subarray(0, 64 * 1024);
    const p = await previewImport(upload('big.csv', head), { task: 'classification' }, 10 * 1024 * 1024);
    expect(p.partial).toBe(true);
    expect(p.sample.rowsSkipped).toBe(0);
    expect(p.rows[0]).toEqual({ line: 2, values: ['a fine row', 'pos'] });
  });
});
