// Data-parallel workers as a user sets them, in Chromium against `rnn-studio serve`: the training settings'
// `workers` field takes `auto` or a count; a run with 2 workers trains to the end and the status line says
// how many engines ran. Screenshot: test-results/screenshots/workers-status.png.
import { expect, test, type Page } from '@playwright/test';
import { openStudio, screenshot } from './studio.js';

const status = (page: Page) => page.locator('[data-test=status-line]');

test('the workers setting: auto or a count, and a 2-worker run says so in the status line', async ({
  page,
}) => {
  await openStudio(page);
  await page.getByTestId('tb-new').click();
  await page.getByTestId('template-adding-problem').click();
  await expect(page.getByTestId('template-adding-problem')).toBeHidden();
  const field = page.getByTestId('training-settings').locator('#field-workers');
  await expect(field).toHaveValue('auto');
  await field.fill('none');
  await expect(page.getByTestId('training-settings').getByRole('alert')).toBeVisible();
  await field.fill('2');
  await expect(page.getByTestId('training-settings').getByRole('alert')).toHaveCount(0);

  await page.getByTestId('tab-training').click();
  await page.locator('[data-test=epochs]').fill('1');
  await page.locator('[data-test=train]').click();
  await expect(status(page)).toContainText(/backend: \w+ · 2 workers/, { timeout: 120_000 });
  await expect(status(page)).toContainText(/Finished|Stopped|Failed/, { timeout: 300_000 });
  await expect(status(page)).toContainText('Finished');
  await screenshot(page, 'workers-status');
});
