// A user's own headerless file through the import wizard, in Chromium against `rnn-studio serve`: the
// preview shows how it will be read (no header row: the first line is data, columns numbered); turning
// the header toggle on and off re-reads it; the import reports what it kept; the Training tab warns about
// a short run and fixes it in one click; after a short run, "Evaluate on a file…" shows the confusion
// matrix (screenshot kept in renderer/docs/screenshots/data-confusion-matrix.png).
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { openStudio, screenshot } from './studio.js';

const DOC_SHOTS = resolve('renderer/docs/screenshots');

/** 200 short reviews, each its own text, no header row: the label column repeats "pos" / "neg". */
function headerlessTsv(): string {
  const good = ['great', 'fine', 'lovely', 'warm', 'brilliant'];
  const bad = ['dull', 'awful', 'slow', 'boring', 'bad'];
  const rows: string[] = [];
  for (let i = 0; i < 200; i++) {
    const words = i % 2 === 0 ? good : bad;
    rows.push(
      `a ${words[i % 5]} film, really ${words[(i + 2) % 5]}, number ${i}\t${i % 2 === 0 ? 'pos' : 'neg'}`,
    );
  }
  return rows.join('\n') + '\n';
}

const previewRow = (page: Page, n: number) => page.getByTestId('import-preview').locator('tbody tr').nth(n);

test('a headerless TSV: preview with the header toggle off, import report, short-run fix, confusion matrix', async ({
  page,
}) => {
  await openStudio(page);
  await page.getByTestId('tb-new').click();
  await page.getByTestId('template-sentiment').click();
  await expect(page.getByTestId('template-sentiment')).toBeHidden();

  // The file, as a user drops it: the host previews its start.
  await page.getByTestId('tab-data').click();
  const tsv = headerlessTsv();
  await page
    .getByTestId('data-file')
    .setInputFiles({ name: 'reviews.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(tsv) });
  await expect(page.getByTestId('import-reading')).toContainText(
    'no header row: columns are numbered ("pos" also appears below it in column 2)',
  );
  await expect(page.getByTestId('data-header')).not.toBeChecked();
  await expect(page.getByTestId('import-reading')).toContainText('TSV, read as UTF-8, delimiter tab');

  // Header on: the first review becomes the column names; off again: it is the first row of data.
  await page.getByTestId('data-header').check();
  await expect(page.getByTestId('import-preview').locator('thead')).toContainText(
    'a great film, really lovely, number 0',
  );
  await page.getByTestId('data-header').uncheck();
  await expect(page.getByTestId('data-header')).not.toBeChecked();
  await expect(page.getByTestId('import-reading')).toContainText('no header row');
  await expect(previewRow(page, 0).locator('td')).toHaveText([
    '1',
    'a great film, really lovely, number 0',
    'pos',
  ]);
  await expect(previewRow(page, 1).locator('td')).toHaveText([
    '2',
    'a awful film, really boring, number 1',
    'neg',
  ]);
  await expect(page.getByTestId('data-col-text')).toHaveValue('1');
  await expect(page.getByTestId('data-col-label')).toHaveValue('2');
  await expect(page.getByTestId('import-sample')).toContainText('200 rows usable, 0 skipped, 0 empty lines');
  await screenshot(page, 'data-import-preview');

  // Import: the report says what was kept, and how training was sized.
  await page.getByTestId('data-import').click();
  await expect(page.getByTestId('import-report-counts')).toHaveText(
    'Kept 200 rows; skipped 0 rows and 0 empty lines.',
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('import-training-sized')).toContainText('Training sized to the data');
  await expect(page.getByTestId('data-source')).toContainText('reviews');

  // A run far too short is called out before it starts; one click sets the epochs the data needs.
  await page.getByTestId('tab-training').click();
  await page.locator('[data-test=epochs]').fill('2');
  await expect(page.getByTestId('run-length-warning')).toContainText(
    'a classifier usually needs about 1,000',
  );
  await page.getByTestId('run-length-fix').click();
  await expect(page.getByTestId('run-length-warning')).toBeHidden();
  await expect(page.locator('[data-test=epochs]')).toHaveValue('200'); // 200 rows → 5 batches an epoch → 1,000 steps

  // A short run (enough to separate the two words lists), then the test file scored in the Playground.
  await page.locator('[data-test=epochs]').fill('15');
  await page.locator('[data-test=train]').click();
  await expect(page.locator('[data-test=status-line]')).toContainText(/Finished|Stopped/, {
    timeout: 240_000,
  });
  await page.getByTestId('tab-playground').click();
  await page
    .getByTestId('evaluate-file')
    .setInputFiles({ name: 'reviews.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(tsv) });
  const evaluation = page.getByTestId('evaluation');
  await expect(evaluation).toContainText('reviews.tsv: 200 examples', { timeout: 120_000 });
  await expect(page.getByTestId('per-class').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('per-class').locator('tbody tr').first()).toContainText('neg');
  await expect(evaluation.locator('canvas').first()).toBeVisible();
  mkdirSync(DOC_SHOTS, { recursive: true });
  await evaluation.screenshot({ path: resolve(DOC_SHOTS, 'data-confusion-matrix.png') });
  await screenshot(page, 'data-confusion-matrix');
});
