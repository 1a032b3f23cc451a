// Settings in people's words, in Chromium against the web host: labels and ranges from the catalog,
// fields only for the kind chosen, the formula of the mode chosen, and refusals that name the field and
// what it accepts.
import { expect, test } from '@playwright/test';
import { openStudio, screenshot } from './studio.js';

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('rnn-studio.started', 'yes'));
  await openStudio(page);
  await page.getByTestId('template-sentiment').click();
  await expect(page.locator('.vue-flow__node[data-id="pool"]')).toBeVisible();
});

test('a pooling block shows the formula of its mode and the scorer size only for attention', async ({
  page,
}) => {
  await page.locator('.vue-flow__node[data-id="pool"] header').click();
  const inspector = page.getByTestId('inspector');
  await page.locator('#field-mode').selectOption('attention');
  await expect(page.getByTestId('inspector-formula')).toHaveText('v = Σ_t α_t h_t');
  await expect(inspector.getByText('Scorer size')).toBeVisible();
  await page.locator('#field-mode').selectOption('mean');
  await expect(page.getByTestId('inspector-formula')).toHaveText('v = (1/T) Σ_t h_t');
  await expect(inspector.getByText('Scorer size')).toHaveCount(0);
  await expect(page.locator('.vue-flow__node[data-id="pool"]')).toContainText('v = (1/T) Σ_t h_t');
  await screenshot(page, 'settings-01-pooling-mean');
});

test(
  'training settings: human labels, real ranges, ' +
    'fields of the chosen optimizer, messages naming the field',
  async ({ page }) => {
    const settings = page.getByTestId('training-settings');
    await expect(settings.getByText('Learning rate', { exact: true })).toBeVisible();
    await expect(settings).not.toContainText('9007199254740991');
    await expect(settings).not.toContainText('returnSequenc');
    // adam: β₁ shown, momentum not; sgd: the other way round.
    await expect(settings.getByText('β₁ (momentum decay)')).toBeVisible();
    await expect(settings.getByText('Momentum', { exact: true })).toHaveCount(0);
    await page.locator('#field-optimizer-kind').selectOption('sgd');
    await expect(settings.getByText('Momentum', { exact: true })).toBeVisible();
    await expect(settings.getByText('β₁ (momentum decay)')).toHaveCount(0);
    // A schedule's fields appear with its kind.
    await expect(settings.getByText('Warm-up', { exact: true })).toHaveCount(0);
    await page.locator('#field-schedule-kind').selectOption('warmup-cosine');
    await expect(settings.getByText('Warm-up', { exact: true })).toBeVisible();
    await page.locator('#field-epochs').fill('0');
    await expect(settings.getByRole('alert')).toHaveText(
      'Not saved: Epochs must be a whole number from 1 to 100000 (passes over the data).',
    );
    await screenshot(page, 'settings-02-training-sgd');
  },
);
