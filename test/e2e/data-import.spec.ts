// A user's own headerless file through the import wizard, in Chromium against `rnn-studio serve`: the
// preview shows how it will be read (no header row: the first line is data, columns numbered); turning
// the header toggle on and off re-reads it, and so does the delimiter choice; the import reports what it
// kept; the Training tab warns about a short run and fixes it in one click; after a short run, "Evaluate
// on a file…" shows the confusion matrix with its counts in the cells (screenshots kept in
// renderer/docs/screenshots/data-confusion-matrix.png and data-confusion-matrix-dark.png); a file dropped
// after opening another template starts from that project's task.
import { expect, test, type Dialog, type Page } from '@playwright/test';
import { docScreenshot, openStudio, screenshot } from './studio.js';

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

/** The same rows with 30 "pos" labels turned "neg" and 10 "neg" turned "pos": 120 neg, 80 pos. */
function swapLabels(tsv: string): string {
  return tsv
    .trimEnd()
    .split('\n')
    .map((row, i) => {
      if (i % 2 === 0 && i % 20 < 6) return row.replace(/\tpos$/, '\tneg'); // 30 of the 100 "pos"
      if (i % 2 === 1 && i % 20 === 1) return row.replace(/\tneg$/, '\tpos'); // 10 of the 100 "neg"
      return row;
    })
    .join('\n');
}

const previewRow = (page: Page, n: number) => page.getByTestId('import-preview').locator('tbody tr').nth(n);

test(
  'a headerless TSV: preview with the header toggle off, ' + 'import report, short-run fix, confusion matrix',
  async ({ page }) => {
    await openStudio(page);
    // The studio opens a first template, or the start page by itself (when earlier work can be recovered).
    const start = page.getByTestId('template-sentiment');
    await expect(start.or(page.locator('.vue-flow__node')).first()).toBeVisible();
    if (!(await start.isVisible())) await page.getByTestId('tb-new').click();
    // Should replacing the open project ask first (it would, had the user changed it), the user agrees.
    const agree = (dialog: Dialog) => void dialog.accept();
    page.on('dialog', agree);
    await start.click();
    await expect(page.getByTestId('template-sentiment')).toBeHidden();
    await expect(page.getByTestId('title')).toContainText('Sentiment classifier');
    page.off('dialog', agree);

    // The file, as a user drops it: the host previews its start.
    await page.getByTestId('tab-data').click();
    const tsv = headerlessTsv();
    await page.getByTestId('data-file').setInputFiles({
      name: 'reviews.tsv',
      mimeType: 'text/tab-separated-values',
      buffer: Buffer.from(tsv),
    });
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

    // The delimiter, changed by hand: commas split each review into three columns; back to tab, two.
    const headings = page.getByTestId('import-preview').locator('thead th');
    await expect(page.getByTestId('data-encoding').locator('option:checked')).toHaveText('Detect (UTF-8)');
    await expect(page.getByTestId('data-delimiter').locator('option:checked')).toHaveText('Detect (Tab)');
    await page.getByTestId('data-delimiter').selectOption({ label: 'Comma ,' });
    await expect(page.getByTestId('import-reading')).toContainText('TSV, read as UTF-8, delimiter ","');
    await expect(headings).toHaveCount(4); // line, 1, 2, 3
    await expect(previewRow(page, 0).locator('td')).toHaveText([
      '1',
      'a great film',
      'really lovely',
      /number 0\spos/,
    ]);
    await page.getByTestId('data-delimiter').selectOption({ label: 'Tab' });
    await expect(page.getByTestId('import-reading')).toContainText('TSV, read as UTF-8, delimiter tab');
    await expect(headings).toHaveCount(3);
    await expect(previewRow(page, 0).locator('td')).toHaveText([
      '1',
      'a great film, really lovely, number 0',
      'pos',
    ]);
    await expect(page.getByTestId('data-col-text')).toHaveValue('1');
    await expect(page.getByTestId('data-col-label')).toHaveValue('2');
    await expect(page.getByTestId('import-sample')).toContainText(
      '200 rows usable, 0 skipped, 0 empty lines',
    );
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
    // 200 rows → 5 batches an epoch → 1,000 steps
    await expect(page.locator('[data-test=epochs]')).toHaveValue('200');

    // A short run (enough to separate the two words lists), then the test file scored in the Playground.
    await page.locator('[data-test=epochs]').fill('15');
    await page.locator('[data-test=train]').click();
    await expect(page.locator('[data-test=status-line]')).toContainText(/Finished|Stopped/, {
      timeout: 240_000,
    });
    await page.getByTestId('tab-playground').click();
    await page.getByTestId('evaluate-file').setInputFiles({
      name: 'reviews.tsv',
      mimeType: 'text/tab-separated-values',
      buffer: Buffer.from(tsv),
    });
    const evaluation = page.getByTestId('evaluation');
    await expect(evaluation).toContainText('reviews.tsv: 200 examples', { timeout: 120_000 });
    await expect(page.getByTestId('per-class').locator('tbody tr')).toHaveCount(2);
    await expect(page.getByTestId('per-class').locator('tbody tr').first()).toContainText('neg');
    await expect(evaluation.locator('canvas').first()).toBeVisible();

    // A test file whose labels disagree with the model on some rows (40 labels swapped): the matrix has
    // counts in every cell, dark and light, for the screenshot; the support counts the file's own labels.
    const noisy = Buffer.from(swapLabels(tsv));
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page
        .getByTestId('evaluate-file')
        .setInputFiles({ name: 'reviews-test.tsv', mimeType: 'text/tab-separated-values', buffer: noisy });
      await expect(evaluation).toContainText('reviews-test.tsv: 200 examples', { timeout: 120_000 });
      await expect(page.getByTestId('per-class').locator('tbody tr').nth(0).locator('td').last()).toHaveText(
        '120',
      );
      await expect(page.getByTestId('per-class').locator('tbody tr').nth(1).locator('td').last()).toHaveText(
        '80',
      );
      await expect(evaluation.locator('canvas').first()).toBeVisible();
      const name = theme === 'light' ? 'data-confusion-matrix' : 'data-confusion-matrix-dark';
      await docScreenshot(evaluation, name);
      await screenshot(page, name);
    }

    // Another project: the wizard starts from that project's task, not the last file's.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('tb-template').click();
    const asked = page.waitForEvent('dialog').then((dialog) => dialog.accept());
    await page.getByTestId('tb-template-char-lm').click();
    await asked;
    await expect(page.getByTestId('title')).toContainText('Character language model');
    await page.getByTestId('tab-data').click();
    await page.getByTestId('data-file').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('It was a bright cold day in April.\nThe clocks were striking thirteen.\n'),
    });
    await expect(page.getByTestId('data-task')).toHaveValue('language-model');
    await expect(page.getByTestId('import-reading')).toContainText('TEXT, read as UTF-8');
    await expect(page.getByTestId('import-problem')).toHaveCount(0);
  },
);
