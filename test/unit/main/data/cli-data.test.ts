// `rnn-studio data` as a user runs it: import into a project file, show the dataset, refuse bad files
// with the line and exit code 1.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/program.js';
import { capture } from '../cli/cliRun.js';
import { resourcesDir } from '../../../../main/host/appInfo.js';
import { newProjectFile, ProjectStore } from '../../../../main/project/index.js';

const fixture = (name: string) => new URL(`../../../fixtures/data/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rnn-cli-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rnn-studio data', () => {
  it('imports a file into the project, saves it, and shows it', async () => {
    const file = join(dir, 'p.rnnproj');
    await newProjectFile(resourcesDir, 'sentiment', file);
    const dataDir = join(dir, 'dd');
    const run = capture();
    const code = await runCli(
      [
        'data',
        file,
        '--import',
        fixture('ragged.csv'),
        '--text-column',
        'text',
        '--label-column',
        'label',
        '--tokenizer',
        'character',
        '--data-dir',
        dataDir,
      ],
      run.io,
    );
    expect(run.err.join('')).toContain('line 3: has 3 fields but the header has 2');
    expect(code).toBe(0);
    expect(run.out.join('')).toContain(
      'as a classification dataset, copied into the project as data/ragged.csv',
    );

    const store = new ProjectStore({ dataDir, resourcesDir, autosaveMs: 0 });
    const session = await store.openFile(file);
    expect(session.doc.dataset?.tokenizer.kind).toBe('character');
    expect(store.readEntry(session.projectId, 'data/ragged.csv')).toBeDefined();

    const show = capture();
    expect(await runCli(['data', file, '--data-dir', dataDir], show.io)).toBe(0);
    expect(show.out.join('')).toMatch(
      /classification from data\/ragged.csv inside the project[\s\S]*examples: 3[\s\S]*labels: neg 1, pos 2/,
    );
  });

  it('refuses a file forced to the wrong encoding with its line, exit 1; a bad flag, exit 1', async () => {
    const file = join(dir, 'q.rnnproj');
    await newProjectFile(resourcesDir, 'sentiment', file);
    expect(await importRefused(file, 'latin1.csv', ['--encoding', 'utf-8'])).toContain(
      'Line 3 is not UTF-8 text',
    );
    expect(await importRefused(file, 'reviews.csv', ['--max-length', 'ten'])).toContain(
      '--max-length must be a whole number',
    );
    expect(await importRefused(file, 'reviews.csv', ['--task', 'translation'])).toContain(
      'Import option task',
    );
  });
});

/** `rnn-studio data <file> --import <csv> <flags>` refused with exit 1; what it wrote to stderr. */
async function importRefused(file: string, csv: string, flags: string[]): Promise<string> {
  const run = capture();
  const code = await runCli(
    ['data', file, '--import', fixture(csv), ...flags, '--data-dir', join(dir, 'dd')],
    run.io,
  );
  expect(code).toBe(1);
  return run.err.join('');
}

describe('rnn-studio data: what an import did, and imports the task cannot use', () => {
  it('prints the report: how the file was read, rows kept and skipped by reason with lines', async () => {
    const file = join(dir, 'r.rnnproj');
    await newProjectFile(resourcesDir, 'sentiment', file);
    const run = capture();
    expect(
      await runCli(
        ['data', file, '--import', fixture('empty-lines.csv'), '--data-dir', join(dir, 'dd')],
        run.io,
      ),
    ).toBe(0);
    expect(run.out.join('')).toContain('Read CSV, read as UTF-8, delimiter ",", first row is the header');
    expect(run.out.join('')).toContain(
      'Kept 3 rows of 3; skipped 0 rows and 5 empty lines.\n  empty line: 5 lines (lines 2, 4, 5, 7, 9)',
    );
  });

  it('--preview shows a headerless TSV as read, without importing it', async () => {
    const file = join(dir, 'v.rnnproj');
    await newProjectFile(resourcesDir, 'sentiment', file);
    const tsv = join(dir, 'headerless.tsv');
    writeFileSync(tsv, 'great movie\tpos\nawful film\tneg\nloved it\tpos\n');
    const run = capture();
    expect(
      await runCli(['data', file, '--import', tsv, '--preview', '--data-dir', join(dir, 'dd')], run.io),
    ).toBe(0);
    const out = run.out.join('');
    expect(out).toContain('no header row: columns are numbered ("pos" also appears below it in column 2)');
    expect(out).toContain('columns: "1", "2"; text = 1, label = 2');
    expect(out).toContain('line    1: "great movie" | "pos"');
    const store = new ProjectStore({ dataDir: join(dir, 'dd'), resourcesDir, autosaveMs: 0 });
    const before = (await store.openFile(file)).doc.dataset;
    expect(before?.source.kind).not.toBe('embedded'); // still the template's data
  });

  it('--delimiter by name splits the rows as asked; the wrong one is shown for what it does', async () => {
    const file = join(dir, 'd.rnnproj');
    await newProjectFile(resourcesDir, 'sentiment', file);
    const csv = join(dir, 'pipes.csv');
    writeFileSync(csv, 'text|label\ngreat, really|pos\nawful, truly|neg\nloved it, yes|pos\n');
    const preview = (delimiter: string) => {
      const run = capture();
      return runCli(
        ['data', file, '--import', csv, '--preview', '--delimiter', delimiter, '--data-dir', join(dir, 'dd')],
        run.io,
      ).then((code) => ({ code, out: run.out.join('') }));
    };
    const pipe = await preview('pipe');
    expect(pipe.code).toBe(0);
    expect(pipe.out).toContain('delimiter "|"');
    expect(pipe.out).toContain('line    2: "great, really" | "pos"');
    const comma = await preview('comma');
    expect(comma.out).toContain('delimiter ","');
    // Read with commas, the header is one column and every row has two: all skipped, and said so.
    expect(comma.out).toContain('wrong number of fields (not 1): 3 (line 2, 3, 4)');
  });

  it(
    'a one-column CSV into a classifier is refused with the reason, ' + 'exit 1, the project unchanged',
    async () => {
      const file = join(dir, 'c.rnnproj');
      await newProjectFile(resourcesDir, 'sentiment', file);
      const before = readFileSync(file);
      const run = capture();
      expect(
        await runCli(
          ['data', file, '--import', fixture('one-column.csv'), '--data-dir', join(dir, 'dd')],
          run.io,
        ),
      ).toBe(1);
      expect(run.err.join('')).toContain(
        'This file has one column ("sentence"), but the task needs a label column as well. ' +
          'Choose a file with that column, or another task. (--label-column, or --task for another task)',
      );
      expect(readFileSync(file).equals(before)).toBe(true);
    },
  );
});
