// Accessibility of the main views, checked by axe-core (WCAG 2.1 A and AA rules) in Chromium against the
// web host: the start page, the studio with a template open, each bottom tab empty and again after one
// epoch of training (charts, heatmaps, a classified sentence, the gates of a typed sentence, a run with its
// notes editor and a tag), the open toolbar menu, and the dark theme.
// Serious and critical violations fail the test; every violation found is printed with where it is.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openStudio, screenshot } from './studio.js';

async function audit(page: Page, view: string): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const lines: string[] = [];
  for (const v of result.violations) {
    const where = v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(' '))
      .join(' | ');
    console.log(`[a11y] ${view}: ${v.impact} ${v.id} (${v.nodes.length}×): ${v.help} — ${where}`);
    if (v.impact === 'serious' || v.impact === 'critical')
      lines.push(`${view}: ${v.id} (${v.nodes.length}×) ${where}`);
  }
  console.log(`[a11y] ${view}: ${result.violations.length} rules violated, ${result.passes.length} passed`);
  return lines;
}

test('no serious or critical accessibility violations in the main views', async ({ page }) => {
  // One epoch of training and some twenty audits: about 3 minutes on a busy 2-core machine.
  test.setTimeout(360_000);
  const serious: string[] = [];
  await openStudio(page);
  await page.getByTestId('tb-new').click();
  await expect(page.getByTestId('template-sentiment')).toBeVisible();
  serious.push(...(await audit(page, 'start page')));
  await page.getByTestId('template-sentiment').click();
  await expect(page.getByTestId('template-sentiment')).toBeHidden();
  await expect(page.locator('.vue-flow__node').first()).toBeVisible();
  serious.push(...(await audit(page, 'studio')));
  for (const tab of [
    'data',
    'training',
    'gradients',
    'attention',
    'histograms',
    'playground',
    'runs',
    'code',
  ]) {
    await page.getByTestId(`tab-${tab}`).click();
    await page.waitForTimeout(300);
    serious.push(...(await audit(page, `${tab} tab`)));
  }
  // The same views with content: one epoch of training, then a sentence classified.
  await page.getByTestId('tab-training').click();
  await page.locator('[data-test=epochs]').fill('1');
  await page.locator('[data-test=train]').click();
  await expect(page.locator('[data-test=status-line]')).toContainText(/Finished|Stopped|Failed/, {
    timeout: 180_000,
  });
  for (const tab of ['training', 'gradients', 'attention', 'histograms']) {
    await page.getByTestId(`tab-${tab}`).click();
    await page.waitForTimeout(500);
    serious.push(...(await audit(page, `${tab} tab after training`)));
  }
  await page.getByTestId('tab-playground').click();
  await page.locator('[data-test=classify-input]').fill('a warm and funny film');
  await page.locator('[data-test=classify]').click();
  await expect(page.locator('[data-test=prediction]')).toBeVisible({ timeout: 60_000 });
  serious.push(...(await audit(page, 'playground with a prediction')));
  // Inside the model for a typed sentence: the gate and hidden-state heatmaps.
  await page.getByTestId('inside-input').fill('a warm and funny film');
  await page.getByTestId('inside-run').click();
  await expect(page.locator('[data-chart=heatmap][data-title^="Hidden state"]')).toBeVisible({
    timeout: 60_000,
  });
  serious.push(...(await audit(page, 'playground inside the model')));
  // The run just trained, with its notes editor open and a tag (the tag filter then shows too).
  await page.getByTestId('tab-runs').click();
  await page.getByTestId('run-edit-notes').first().click();
  await page.getByTestId('run-new-tag').fill('baseline');
  await page.getByTestId('run-add-tag').click();
  await expect(page.getByTestId('run-tag')).toHaveText([/baseline/]);
  serious.push(...(await audit(page, 'runs with a note editor and a tag')));
  await page.getByTestId('tb-template').click();
  await expect(page.getByRole('menu')).toBeVisible();
  serious.push(...(await audit(page, 'template menu')));
  await page.keyboard.press('Escape');
  // The dark theme (it follows the system) has its own colours: the same checks on the views with content.
  await page.emulateMedia({ colorScheme: 'dark' });
  for (const tab of [
    'training',
    'gradients',
    'attention',
    'histograms',
    'playground',
    'runs',
    'data',
    'code',
  ]) {
    await page.getByTestId(`tab-${tab}`).click();
    await page.waitForTimeout(500);
    serious.push(...(await audit(page, `dark theme, ${tab} tab`)));
    if (tab === 'gradients') await screenshot(page, 'a11y-dark-gradients');
  }
  expect(serious, serious.join('\n')).toEqual([]);
});
