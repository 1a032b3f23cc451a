// Wiring that refuses, in Chromium against the web host: a wire that cannot be valid is refused as it is
// dropped, says why, and leaves the wire the input already had; a wire that would close a loop is refused.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openStudio, screenshot } from './studio.js';

const block = (page: Page, id: string) => page.locator(`.vue-flow__node[data-id="${id}"]`);
const handle = (page: Page, node: string, port: string, type: 'source' | 'target') =>
  page.locator(`.vue-flow__node[data-id="${node}"] .vue-flow__handle.${type}[data-handleid="${port}"]`);

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from an output handle to an input handle, as a user does. */
async function wire(page: Page, from: [string, string], to: [string, string]): Promise<void> {
  const a = await centre(handle(page, from[0], from[1], 'source'));
  const b = await centre(handle(page, to[0], to[1], 'target'));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

/** The ids of the wires drawn on the canvas (drawn from the document), sorted. */
async function wires(page: Page): Promise<string[]> {
  const ids = await page
    .locator('.vue-flow__edge')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-id') ?? ''));
  return ids.sort();
}

test.beforeEach(async ({ page }) => {
  // Not a first start (no sample project is opened), so the start page with its gallery shows.
  await page.addInitScript(() => localStorage.setItem('rnn-studio.started', 'yes'));
  await openStudio(page);
  await page.getByTestId('template-sentiment').click();
  await expect(block(page, 'bilstm')).toBeVisible();
});

test('token ids dropped onto a Bidirectional LSTM that has an input are refused; its wire stays', async ({
  page,
}) => {
  const before = await wires(page);
  expect(before).toHaveLength(4);
  await wire(page, ['tokens', 'out'], ['bilstm', 'in']);
  const notice = page.locator('.notice.error').filter({ hasText: 'Wire not made' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('Embedding');
  await screenshot(page, 'wiring-01-refused');
  expect(await wires(page)).toEqual(before);
  await expect(page.getByTestId('problem-bilstm')).toHaveCount(0);
  await expect(page.getByTestId('shape-bilstm-out')).toHaveText(/^\[batch, (time, )?\d+\]$/);
  await expect(page.getByTestId('tb-undo')).toBeDisabled(); // nothing was edited, so nothing to undo
});

test('a wire that would close a loop is refused and names the loop', async ({ page }) => {
  const before = await wires(page);
  await wire(page, ['bilstm', 'out'], ['embed', 'in']);
  const notice = page.locator('.notice.error').filter({ hasText: 'loop' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('embed → bilstm → embed');
  await screenshot(page, 'wiring-02-loop-refused');
  expect(await wires(page)).toEqual(before);
});
