// Run notes and tags in the Runs tab, in Chromium against the web host: a project saved with an older
// format (runs without notes) opens, the user writes a note and adds a tag to a run, saves, reloads the
// page, opens the file again from disk, and sees both; the tag filter narrows the table.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { readProjectFile, writeProjectFile } from '../../main/project/index.js';
import { E2E_DATA_DIR, openStudio, screenshot } from './studio.js';

const fixture = join(import.meta.dirname, '../fixtures/project/v2-date-translation-with-run.json');

/** A .rnnproj with two finished runs, written where the web host may read and write (its data folder). */
async function projectWithRuns(): Promise<string> {
  const project = await readProjectFile(fixture);
  const [first] = project.doc.runs;
  project.doc.runs.push({ ...first!, id: 'run2', name: 'second try', startedAt: '2026-11-21T10:00:00Z' });
  mkdirSync(E2E_DATA_DIR, { recursive: true });
  const file = join(E2E_DATA_DIR, `run-notes-${Date.now()}.rnnproj`);
  await writeProjectFile(file, project);
  return file;
}

/** Through the start page's "Open a project file" (shown by New when a project is open). */
async function openFile(page: Page, file: string, projectOpen: boolean): Promise<void> {
  if (projectOpen) await page.getByTestId('tb-new').click();
  await expect(page.getByTestId('template-sentiment')).toBeVisible();
  const field = page.getByRole('textbox', { name: /path/i });
  await field.fill(file);
  await expect(field).toHaveValue(file);
  await page.locator('form.open button[type=submit]').click();
  await expect(page.getByTestId('title')).toContainText(/date/i);
}

const row = (page: Page, name: string) => page.getByTestId('run-row').filter({ hasText: name });

test('write a note and add a tag to a run; save, reload, reopen: both are there; filter by the tag', async ({
  page,
}) => {
  const file = await projectWithRuns();
  await page.addInitScript(() => localStorage.setItem('rnn-studio.started', 'yes'));
  await openStudio(page);
  await expect(page.getByTestId('title')).toHaveText(/No project open/);
  await openFile(page, file, false);
  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);

  await row(page, 'first try').getByTestId('run-edit-notes').click();
  const note = page.getByRole('textbox', { name: 'Note for first try' });
  await note.fill('Baseline: validation loss flattens after epoch 4.');
  await page.getByTestId('run-save-note').click();
  await page.getByRole('textbox', { name: 'New tag for first try' }).fill('baseline');
  await page.getByTestId('run-add-tag').click();
  await expect(page.getByTestId('run-tag')).toHaveText([/baseline/]);
  await expect(row(page, 'first try').getByTestId('run-notes')).toContainText('baseline');
  await expect(row(page, 'first try').getByTestId('run-notes')).toContainText('flattens after epoch 4');
  await expect(page.getByTestId('unsaved-dot')).toBeVisible();

  // The filter: only the tagged run, then all again.
  await page.getByTestId('runs-filter-tag').filter({ hasText: 'baseline' }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(row(page, 'first try')).toBeVisible();
  await page.getByTestId('runs-filter-all').click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await page.getByTestId('bottom-maximize').click();
  await screenshot(page, 'runs-notes-tags');
  await page.getByTestId('bottom-maximize').click();

  // The project has its own file: Save writes it there.
  await page.getByTestId('tb-save').click();
  await expect(page.getByTestId('unsaved-dot')).toHaveCount(0);

  // Reload the page, then open the saved file from disk again (a new session read from the file).
  // After the reload the studio shows the project it had (the host's session); the file is read anew.
  await page.reload();
  await expect(page.getByTestId('title')).toContainText(/date/i);
  await openFile(page, file, true);
  await page.getByTestId('tab-runs').click();
  const notes = row(page, 'first try').getByTestId('run-notes');
  await expect(notes).toContainText('baseline');
  await expect(notes).toContainText('Baseline: validation loss flattens after epoch 4.');
  await expect(row(page, 'second try').getByTestId('run-notes')).toHaveText('');
  await page.getByTestId('runs-filter-tag').filter({ hasText: 'baseline' }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
});
