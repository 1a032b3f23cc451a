// The window's layout, in Chromium against the web host: drag the splitter and the bottom panel grows
// (measured in px), keyboard resizing, the size survives a reload, the maximise toggle, and at 1280×720
// the canvas, the inspector and a chart are all visible with no minimap over the blocks.
import { expect, test, type Page } from '@playwright/test';
import { openStudio, screenshot } from './studio.js';

const panel = (page: Page) => page.getByTestId('bottom-panel');
const height = async (page: Page) => (await panel(page).boundingBox())!.height;

async function openTemplate(page: Page, id: string): Promise<void> {
  await page.addInitScript(() => localStorage.setItem('rnn-studio.started', 'yes'));
  await openStudio(page);
  await page.getByTestId(`template-${id}`).click();
  await expect(page.locator('.vue-flow__node').first()).toBeVisible();
}

test('drag the splitter: the bottom panel grows by what was dragged and keeps it after a reload', async ({
  page,
}) => {
  await openTemplate(page, 'sentiment');
  const before = await height(page);
  const handle = (await page.getByTestId('split-bottom').boundingBox())!;
  const x = handle.x + handle.width / 2;
  const y = handle.y + handle.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y - 80, { steps: 4 });
  await page.mouse.move(x, y - 150, { steps: 4 });
  await page.mouse.up();
  const after = await height(page);
  console.log(`[layout] bottom panel ${before}px -> ${after}px after dragging 150px up`);
  expect(after - before).toBeGreaterThan(145);
  expect(after - before).toBeLessThan(155);

  // The keyboard moves it too (16 px per arrow press).
  await page.getByTestId('split-bottom').focus();
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => height(page)).toBeCloseTo(after + 16, 0);
  const sized = await height(page);

  await page.reload();
  await expect(page.locator('.vue-flow__node').first()).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => height(page)).toBeCloseTo(sized, 0);

  // The palette and inspector splitters size their panes the same way.
  const inspector = (await page.getByTestId('inspector').boundingBox())!.width;
  await page.getByTestId('split-inspector').focus();
  await page.keyboard.press('Shift+ArrowLeft');
  await expect
    .poll(async () => (await page.getByTestId('inspector').boundingBox())!.width)
    .toBeCloseTo(inspector + 64, 0);
});

test('the maximise toggle gives the bottom panel the workspace and gives it back', async ({ page }) => {
  await openTemplate(page, 'sentiment');
  const normal = await height(page);
  await page.getByTestId('bottom-maximize').click();
  await expect(page.locator('.model-canvas')).toBeHidden();
  expect(await height(page)).toBeGreaterThan(normal + 300);
  await screenshot(page, 'layout-01-bottom-maximised');
  await page.getByTestId('bottom-maximize').click();
  await expect(page.locator('.model-canvas')).toBeVisible();
  await expect.poll(() => height(page)).toBeCloseTo(normal, 0);
});

test(
  'at 1280×720 the canvas, the inspector and a live chart are visible, ' + 'and no minimap covers blocks',
  async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1280, height: 720 });
    await openTemplate(page, 'sentiment');
    await page.getByTestId('tab-training').click();
    await page.locator('[data-test=epochs]').fill('30');
    await page.locator('[data-test=train]').click();
    const loss = page.locator('[data-chart=line][data-title=Loss]');
    await expect(loss).toBeVisible({ timeout: 120_000 });
    await expect(page.locator('[data-test=status-line]')).toContainText(/batch \d+/, { timeout: 120_000 });
    await page.getByTestId('split-bottom').focus();
    await page.keyboard.press('Shift+ArrowUp'); // room for the chart row
    const inView = async (selector: string) => {
      const box = (await page.locator(selector).first().boundingBox())!;
      return (
        box.width > 200 &&
        box.height > 100 &&
        box.y >= 0 &&
        box.y + box.height <= 720 &&
        box.x + box.width <= 1280
      );
    };
    expect(await inView('.model-canvas')).toBe(true);
    expect(await inView('[data-testid=inspector]')).toBe(true);
    expect(await inView('[data-chart=line][data-title=Loss]')).toBe(true);
    await expect(page.locator('.vue-flow__minimap')).toHaveCount(0);
    await screenshot(page, 'layout-02-1280x720-training');
    await page
      .getByRole('navigation', { name: 'Main toolbar' })
      .getByRole('button', { name: /Stop/ })
      .click();
  },
);
