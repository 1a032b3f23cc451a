// State that tells the truth, in Chromium against the web host: one Train button while paused, the
// Training tab's fields keep what was typed after a run starts, notices never pile over the Open dialog,
// opening another project over unsaved work asks, Save suggests a full path, each export keeps its own
// folder, and a normal load has no console error (the favicon exists).
import { expect, test, type Page } from '@playwright/test';
import { openStudio, screenshot } from './studio.js';

const toolbar = (page: Page) => page.getByRole('navigation', { name: 'Main toolbar' });
const status = (page: Page) => page.locator('[data-test=status-line] .status');

async function openTemplate(page: Page, id: string): Promise<void> {
  await page.addInitScript(() => localStorage.setItem('rnn-studio.started', 'yes'));
  await openStudio(page);
  await page.getByTestId(`template-${id}`).click();
  await expect(page.locator('.vue-flow__node').first()).toBeVisible();
}

test('a normal load has no console error and the favicon is served', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const favicon = page.waitForResponse((r) => /favicon/.test(r.url()));
  await openTemplate(page, 'sentiment');
  expect((await favicon).status()).toBe(200);
  await page.getByTestId('tab-training').click();
  await expect(page.locator('[data-test=epochs]')).toBeVisible();
  expect(errors).toEqual([]);
});

test(
  'training: the tab fields keep their values after start; ' + 'paused shows one Train button and Resume',
  async ({ page }) => {
    test.setTimeout(300_000);
    await openTemplate(page, 'sentiment');
    await page.getByTestId('tab-training').click();
    await page.locator('[data-test=epochs]').fill('40');
    await page.locator('[data-test=learning-rate]').fill('0.004');
    await page.locator('[data-test=train]').click();
    await expect(status(page)).toHaveText(/Training/, { timeout: 120_000 });
    await expect(page.locator('[data-test=status-line]')).toContainText(/batch \d+/, { timeout: 120_000 });
    await expect(page.locator('[data-test=epochs]')).toHaveValue('40');
    await expect(page.locator('[data-test=learning-rate]')).toHaveValue('0.004');
    // The same values are the project's training settings (the inspector with nothing selected).
    await expect(page.locator('#field-epochs')).toHaveValue('40');
    await expect(page.locator('#field-optimizer-learningRate')).toHaveValue('0.004');

    await page.getByTestId('tb-pause').click();
    await expect(status(page)).toHaveText(/Paused/, { timeout: 30_000 });
    await expect(toolbar(page).getByRole('button', { name: /Train$/ })).toHaveCount(1);
    await expect(page.getByTestId('tb-resume')).toHaveText('▶ Resume');
    await screenshot(page, 'state-01-paused-toolbar');
    await toolbar(page).getByRole('button', { name: /Stop/ }).click();
    await expect(status(page)).toHaveText(/Stopped/, { timeout: 60_000 });
    await expect(page.locator('[data-test=epochs]')).toHaveValue('40');
  },
);

test('opening another project over unsaved work asks first', async ({ page }) => {
  await openTemplate(page, 'sentiment');
  await page.locator('.vue-flow__node[data-id="pool"] header').click();
  await page.locator('#field-mode').selectOption('mean');
  await expect(page.getByTestId('unsaved-dot')).toBeVisible();
  await page.getByTestId('tb-new').click();
  let asked = '';
  page.once('dialog', (d) => ((asked = d.message()), void d.dismiss()));
  await page.getByTestId('template-tagger').click();
  await expect.poll(() => asked).toContain('unsaved changes');
  await expect(page.getByTestId('title')).toContainText('Sentiment');
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('template-tagger').click();
  await expect(page.getByTestId('title')).toContainText('tagger', { ignoreCase: true });
});

test(
  'errors while opening stay in the Open dialog: ' + 'notices are capped and never cover its field or button',
  async ({ page }) => {
    await openTemplate(page, 'sentiment');
    await page.getByTestId('tb-new').click();
    const field = page.getByRole('textbox', { name: /path/i });
    const button = page.locator('form.open button[type=submit]');
    for (let i = 0; i < 4; i++) {
      await field.fill(`/nowhere/missing-${i}.rnnproj`);
      await button.click();
      await expect(page.getByTestId('open-error')).toContainText(`missing-${i}`);
    }
    expect(await page.locator('.notice').count()).toBeLessThanOrEqual(3);
    for (const target of [field, button]) {
      const box = (await target.boundingBox())!;
      const hit = await page.evaluate(
        ([x, y]) => document.elementFromPoint(x!, y!)?.closest('.notice') !== null,
        [box.x + box.width / 2, box.y + box.height / 2],
      );
      expect(hit, 'a notice covers the Open dialog').toBe(false);
    }
    await field.scrollIntoViewIfNeeded();
    await screenshot(page, 'state-02-open-errors');
  },
);

test('Save suggests a full path, and the tfjs export folder is its own, not the PyTorch one', async ({
  page,
}) => {
  await openTemplate(page, 'sentiment');
  await page.getByTestId('tb-save').click();
  const path = page.getByTestId('save-path');
  await expect(path).toHaveValue(/^\/.*Sentiment-classifier\.rnnproj$/);
  await page.keyboard.press('Escape');
  await page.getByTestId('tb-export').click();
  await page.getByTestId('tb-export-pytorch').click();
  await expect(page.getByTestId('export-dir')).toHaveValue(/^\/.*-pytorch$/);
  await page.getByTestId('tb-export').click();
  await page.getByTestId('tb-export-tfjs').click();
  await expect(page.getByTestId('export-dir')).toHaveValue(/^\/.*-tfjs$/);
});
