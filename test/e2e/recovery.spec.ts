// The recovery list offers only work nobody decided about: a project replaced after "Leave anyway" is
// closed at the studio host and its autosave deleted, so a reload does not offer it back.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Dialog, type Page } from '@playwright/test';
import { E2E_DATA_DIR, openStudio, screenshot } from './studio.js';

/** The host's autosave of a project (what a restart would offer back), on disk. */
const autosaved = (projectId: string) => existsSync(join(E2E_DATA_DIR, 'recovery', `${projectId}.json`));

async function openProjectId(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      (JSON.parse(localStorage.getItem('rnn-studio.last-project') ?? '{}') as { projectId?: string })
        .projectId ?? '',
  );
}

test('a project discarded with "Leave anyway" is not offered for recovery after a reload', async ({
  page,
}) => {
  await page.addInitScript(() => localStorage.setItem('rnn-studio.started', 'yes'));
  await openStudio(page);
  await page.getByTestId('template-sentiment').click();
  await expect(page.locator('.vue-flow__node').first()).toBeVisible();
  await page.locator('.vue-flow__node[data-id="pool"] header').click();
  await page.locator('#field-mode').selectOption('mean');
  await expect(page.getByTestId('unsaved-dot')).toBeVisible();
  const discarded = await openProjectId(page);
  expect(discarded).not.toBe('');
  // The edit reached the host and was autosaved: this is what would linger.
  await expect.poll(() => autosaved(discarded), { timeout: 30_000 }).toBe(true);

  await page.getByTestId('tb-new').click();
  const asked = page.waitForEvent('dialog').then(async (dialog) => {
    const message = dialog.message();
    await dialog.accept(); // Leave anyway
    return message;
  });
  await page.getByTestId('template-tagger').click();
  expect(await asked).toContain('unsaved changes');
  await expect(page.getByTestId('title')).toContainText('tagger', { ignoreCase: true });
  await expect.poll(() => autosaved(discarded), { timeout: 30_000 }).toBe(false);

  await page.reload();
  await expect(page.getByTestId('title')).toContainText('tagger', { ignoreCase: true });
  await page.getByTestId('tb-new').click();
  // The start page loads templates, recent projects and the recovery list together.
  await expect(page.getByTestId('template-tagger')).toBeVisible();
  await expect(page.getByTestId(`discard-${discarded}`)).toHaveCount(0);
  await screenshot(page, 'recovery-after-discard');
});

test('a project whose run is training is not replaced: the start page says to stop the run first', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const status = page.locator('[data-test=status-line] .status');
  await page.addInitScript(() => localStorage.setItem('rnn-studio.started', 'yes'));
  await openStudio(page);
  await page.getByTestId('template-sentiment').click();
  await expect(page.locator('.vue-flow__node').first()).toBeVisible();
  const training = await openProjectId(page);
  await page.getByTestId('tab-training').click();
  await page.locator('[data-test=epochs]').fill('40');
  await page.locator('[data-test=backend]').selectOption('cpu');
  await page.locator('[data-test=train]').click();
  await expect(status).toHaveText(/Training/, { timeout: 120_000 });
  await page.getByTestId('tb-pause').click(); // paused still counts as training; it keeps the machine quiet
  await expect(status).toHaveText(/Paused/, { timeout: 60_000 });

  const asked: string[] = [];
  const record = (dialog: Dialog) => (asked.push(dialog.message()), void dialog.dismiss());
  page.on('dialog', record);
  await page.getByTestId('tb-new').click();
  await page.getByTestId('template-tagger').click();
  await expect(
    page
      .getByRole('alert')
      .filter({ hasText: '“Sentiment classifier” is still training. Stop the run first' }),
  ).toBeVisible();
  await screenshot(page, 'recovery-refused-while-training');
  expect(asked).toEqual([]); // refused outright, not "Leave anyway?"
  page.off('dialog', record);
  await page.getByTestId('start-close').click();
  await expect(page.getByTestId('title')).toContainText('Sentiment');
  expect(await openProjectId(page)).toBe(training);

  // Stopped, the run is the project's; leaving now asks about its unsaved changes, as any edit does.
  await page.getByTestId('tab-training').click();
  await page.locator('[data-test=stop]').click();
  await expect(status).toHaveText(/Stopped/, { timeout: 60_000 });
  await page.getByTestId('tb-new').click();
  const leave = page.waitForEvent('dialog').then(async (dialog) => {
    const message = dialog.message();
    await dialog.accept();
    return message;
  });
  await page.getByTestId('template-tagger').click();
  expect(await leave).toContain('unsaved changes');
  await expect(page.getByTestId('title')).toContainText('tagger', { ignoreCase: true });
  await expect.poll(() => autosaved(training), { timeout: 30_000 }).toBe(false);
});
