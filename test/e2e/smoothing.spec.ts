// The smoothing slider on the loss and metric charts (TensorBoard's): on by default with the raw curve
// faint behind, remembered across a reload, off at 0.
import { expect, test } from '@playwright/test';
import { openStudio, screenshot } from './studio.js';

test(
  'smoothing adds a smoothed curve to loss and metrics, ' + 'is remembered, and 0 shows the raw curves only',
  async ({ page }) => {
    test.setTimeout(240_000);
    await page.addInitScript(() => localStorage.setItem('rnn-studio.started', 'yes'));
    await openStudio(page);
    await page.getByTestId('template-sentiment').click();
    await page.getByTestId('tab-training').click();
    await page.locator('[data-test=epochs]').fill('30');
    await page.locator('[data-test=train]').click();
    const loss = page.locator('[data-chart=line][data-title=Loss]');
    const metrics = page.locator('[data-chart=line][data-title=Metrics]');
    await expect(page.locator('[data-test=status-line]')).toContainText(/batch [3-9]\d*|batch \d{2,}/, {
      timeout: 120_000,
    });
    await expect(loss).toHaveAttribute('data-series', /train loss \(batch\), smoothed/);
    await expect(metrics).toHaveAttribute('data-series', /\(batch\), smoothed/);
    await page.locator('[data-test=smoothing]').fill('0.9');
    await expect(page.locator('.smoothing output')).toHaveText('0.90');
    // The picture: the loss on a linear axis, where the noise shows; enough batches (drawn after the axis
    // changed) that the smoothed curve reads apart from the faint raw one; the charts whole.
    await page.getByLabel('Log scale').uncheck();
    await expect(page.locator('[data-test=status-line]')).toContainText(/batch ([4-9]\d|\d{3,}) \//, {
      timeout: 180_000,
    });
    await page.getByTestId('bottom-maximize').click();
    await expect(loss).toHaveAttribute('data-series', /train loss \(batch\), smoothed/);
    await screenshot(page, 'smoothing-01-loss-0.9');
    await page.getByTestId('bottom-maximize').click();
    await page.locator('[data-test=smoothing]').fill('0');
    await expect(loss).not.toHaveAttribute('data-series', /smoothed/);
    await page.locator('[data-test=smoothing]').fill('0.75');
    await page
      .getByRole('navigation', { name: 'Main toolbar' })
      .getByRole('button', { name: /Stop/ })
      .click();
    await page.reload();
    await page.getByTestId('tab-training').click();
    await expect(page.locator('.smoothing output')).toHaveText('0.75');
  },
);
