// The compose walk-through, as a new user does it in Chromium against the web host: open the
// studio, pick a template, drag Embedding → LSTM → Dense from the palette and wire them, read the shapes,
// wrap the LSTM in Bidirectional, make a wrong wire and read why, edit units in the inspector and undo,
// edit the model JSON in Monaco, import a CSV, save, reload, and find everything as it was.
// A screenshot of every view goes to test-results/screenshots/compose-*.png.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_DATA_DIR, E2E_TOKEN, openStudio, screenshot } from './studio.js';

const block = (page: Page, id: string) => page.locator(`.vue-flow__node[data-id="${id}"]`);
const handle = (page: Page, node: string, port: string, type: 'source' | 'target') =>
  page.locator(`.vue-flow__node[data-id="${node}"] .vue-flow__handle.${type}[data-handleid="${port}"]`);

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a block from the palette onto the canvas at a point relative to the canvas' top-left corner. */
async function dropFromPalette(page: Page, kind: string, at: { x: number; y: number }): Promise<void> {
  await page.getByTestId(`palette-${kind}`).dragTo(page.locator('.model-canvas'), { targetPosition: at });
}

/** Connects two ports by dragging from the output handle to the input handle, as a user does. */
async function wire(page: Page, from: [string, string], to: [string, string]): Promise<void> {
  const a = await centre(handle(page, from[0], from[1], 'source'));
  const b = await centre(handle(page, to[0], to[1], 'target'));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

async function fit(page: Page): Promise<void> {
  await page.locator('.model-canvas .vue-flow__pane').click({ position: { x: 12, y: 12 } });
  await page.keyboard.press('f');
  await page.waitForTimeout(400);
}

/** The host's copy of the open project (what a reload will find), read the way the page reads it. */
async function hostDoc(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(async (token) => {
    const last = JSON.parse(localStorage.getItem('rnn-studio.last-project') ?? '{}') as { projectId: string };
    const response = await fetch('/api/call/project.get', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ projectId: last.projectId }),
    });
    return ((await response.json()) as { result: { doc: Record<string, unknown> } }).result.doc;
  }, E2E_TOKEN);
}

test('compose a model, wrap, break, fix, edit, import data, save and reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    // A new user: nothing remembered from earlier runs of this test in the same browser profile.
    if (!sessionStorage.getItem('compose-started')) {
      localStorage.clear();
      sessionStorage.setItem('compose-started', '1');
    }
  });

  // 1. First start: a template that trains in under a minute, with the hint.
  await openStudio(page);
  await expect(page.getByText('Press Train')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.vue-flow__node').first()).toBeVisible();
  await screenshot(page, 'compose-01-first-start');

  // 2. New → the start page with the templates gallery; pick the sentiment classifier.
  await page.getByTestId('tb-new').click();
  await expect(page.getByTestId('template-sentiment')).toBeVisible();
  await screenshot(page, 'compose-02-start-page');
  await page.getByTestId('template-sentiment').click();
  await expect(block(page, 'bilstm')).toBeVisible();
  await expect(page.getByTestId('title')).toContainText('Sentiment');

  // 3. Drag Embedding, LSTM and Dense from the palette below the template's row, then wire them.
  const canvasBox = (await page.locator('.model-canvas').boundingBox())!;
  const y = canvasBox.height - 150;
  await dropFromPalette(page, 'embedding', { x: 260, y });
  await dropFromPalette(page, 'lstm', { x: 470, y });
  await dropFromPalette(page, 'dense', { x: 680, y });
  await expect(block(page, 'embedding')).toBeVisible();
  await expect(block(page, 'lstm')).toBeVisible();
  await expect(block(page, 'dense')).toBeVisible();
  await fit(page);
  await wire(page, ['tokens', 'out'], ['embedding', 'in']);
  await wire(page, ['embedding', 'out'], ['lstm', 'in']);
  await wire(page, ['lstm', 'out'], ['dense', 'in']);
  await expect(page.locator('.vue-flow__edge')).toHaveCount(7);
  const embedWidth = (await page.getByTestId('shape-embedding-out').textContent())!;
  expect(embedWidth).toMatch(/^\[batch, time, \d+\]$/);
  await expect(page.getByTestId('shape-lstm-out')).toHaveText(/^\[batch, time, \d+\]$/);
  const lstmUnits = Number(/(\d+)\]$/.exec((await page.getByTestId('shape-lstm-out').textContent())!)![1]);
  await expect(page.getByTestId('params-lstm')).not.toHaveText('? params');
  await screenshot(page, 'compose-03-blocks-connected');

  // 4. Drop Bidirectional onto the LSTM: it wraps it (concat doubles the width).
  const lstmAt = await centre(block(page, 'lstm'));
  await dropFromPalette(page, 'bidirectional', { x: lstmAt.x - canvasBox.x, y: lstmAt.y - canvasBox.y });
  await expect(page.getByTestId('inner-lstm')).toContainText('LSTM');
  await expect(block(page, 'lstm').locator('[data-kind="bidirectional"]')).toBeVisible();
  await expect(page.getByTestId('shape-lstm-out')).toHaveText(`[batch, time, ${2 * lstmUnits}]`);
  await screenshot(page, 'compose-04-wrapped-bidirectional');

  // 5. A wrong wire: token ids straight into Dense. It is refused as it is dropped, with the reason, and
  // the wire Dense already had stays (the drop-time checks are tested in wiring.spec.ts).
  await wire(page, ['tokens', 'out'], ['dense', 'in']);
  await expect(page.locator('.notice.error').filter({ hasText: 'Embedding' })).toBeVisible();
  await expect(page.locator('.vue-flow__edge')).toHaveCount(7);
  await expect(page.getByTestId('problem-dense')).toHaveCount(0);
  await screenshot(page, 'compose-05-invalid-connection');
  await expect(page.getByTestId('shape-dense-out')).toHaveText(/^\[batch, time, \d+\]$/);

  // 6. Inspector: units of Dense → shapes and counts follow; undo puts them back.
  await block(page, 'dense').locator('header').click();
  await expect(page.getByTestId('inspector')).toContainText('Dense');
  const unitsBefore = await page.locator('#field-units').inputValue();
  const paramsBefore = await page.getByTestId('params-dense').textContent();
  await page.locator('#field-units').fill('48');
  await expect(page.getByTestId('shape-dense-out')).toHaveText('[batch, time, 48]');
  await expect(page.getByTestId('params-dense')).not.toHaveText(paramsBefore!);
  await screenshot(page, 'compose-06-inspector-edit');
  await page.locator('#field-units').fill('0');
  await expect(page.getByTestId('inspector')).toContainText('Not saved');
  await screenshot(page, 'compose-07-inspector-invalid');
  await page.keyboard.press('Control+z');
  await expect(page.locator('#field-units')).toHaveValue(unitsBefore);
  await expect(page.getByTestId('shape-dense-out')).toHaveText(`[batch, time, ${unitsBefore}]`);
  await expect(page.getByTestId('params-dense')).toHaveText(paramsBefore!);

  // Copy, paste and delete with the keyboard: a copy of Dense
  // appears, Delete removes it, undo brings it back.
  await block(page, 'dense').locator('header').click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(block(page, 'dense2')).toBeVisible();
  await block(page, 'dense2').locator('header').click();
  await page.keyboard.press('Delete');
  await expect(block(page, 'dense2')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(block(page, 'dense2')).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(block(page, 'dense2')).toHaveCount(0);

  // 7. Code tab: edit the model JSON in Monaco (Dense to 24 units, a label); the canvas follows.
  await page.getByTestId('tab-code').click();
  const editor = page.getByTestId('model-editor').locator('.monaco-editor');
  await expect(editor).toBeVisible({ timeout: 60_000 });
  await page.waitForTimeout(800); // the last edit reaches the host
  const doc = await hostDoc(page);
  const graph = doc.graph as { nodes: { id: string; label?: string; params: Record<string, unknown> }[] };
  const dense = graph.nodes.find((n) => n.id === 'dense')!;
  dense.params.units = 24;
  dense.label = 'readout';
  await editor.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(JSON.stringify({ task: doc.task, graph }));
  // Monaco auto-closes the first brace as it is typed; drop what it added after the cursor.
  await page.keyboard.press('Shift+Control+End');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('code-status')).toContainText('Applied', { timeout: 10_000 });
  await expect(page.getByTestId('shape-dense-out')).toHaveText('[batch, time, 24]');
  await expect(block(page, 'dense')).toContainText('readout');
  await page.keyboard.press('Control+Shift+I'); // Format Document (Linux binding), for a readable screenshot
  await page.waitForTimeout(800);
  await screenshot(page, 'compose-08-code-model-json');
  await page.getByTestId('code-pytorch').click();
  await page.waitForTimeout(1500);
  await screenshot(page, 'compose-09-code-pytorch');
  await page.getByTestId('code-tfjs').click();
  await page.waitForTimeout(1500);
  await screenshot(page, 'compose-10-code-tfjs');

  // 8. Data tab: import a CSV through the wizard.
  await page.getByTestId('tab-data').click();
  const csv = [
    'text,label',
    ...Array.from({ length: 40 }, (_, i) =>
      i % 2 ? `"a fine, warm film ${i}",pos` : `dull and slow ${i},neg`,
    ),
  ].join('\n');
  await page
    .getByTestId('data-file')
    .setInputFiles({ name: 'reviews.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByTestId('data-col-text')).toHaveValue('text');
  await expect(page.getByTestId('data-col-label')).toHaveValue('label');
  await screenshot(page, 'compose-11-data-wizard');
  await page.getByTestId('data-import').click();
  const outcome = await Promise.race([
    page
      .getByTestId('data-source')
      .filter({ hasText: 'reviews' })
      .waitFor({ timeout: 60_000 })
      .then(() => 'imported'),
    page
      .getByTestId('data-error')
      .waitFor({ timeout: 60_000 })
      .then(() => 'error'),
  ]);
  // Every host service is wired: an import error here is a failure, shown with the host's message.
  if (outcome !== 'imported') expect(await page.getByTestId('data-error').textContent()).toBe('');
  await expect(page.getByTestId('data-preview')).toBeVisible();
  await screenshot(page, 'compose-12-data-imported');

  // 9. Every bottom tab, for the record.
  for (const tab of ['training', 'gradients', 'attention', 'playground', 'runs']) {
    await page.getByTestId(`tab-${tab}`).click();
    await page.waitForTimeout(500);
    await screenshot(page, `compose-13-tab-${tab}`);
  }
  await page.getByTestId('tab-data').click();

  // 10. Save (a new project asks where), reload, and find everything as it was.
  await expect(page.getByTestId('unsaved-dot')).toBeVisible();
  await page.getByTestId('tb-save').click();
  mkdirSync(E2E_DATA_DIR, { recursive: true });
  await page.getByTestId('save-path').fill(join(E2E_DATA_DIR, 'compose.rnnproj'));
  await page.getByTestId('save-confirm').click();
  await expect(page.getByTestId('unsaved-dot')).toHaveCount(0);
  await expect(page.getByText('Saved to')).toBeVisible();
  await page.reload();
  await expect(block(page, 'dense')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('inner-lstm')).toContainText('LSTM');
  await expect(page.getByTestId('shape-lstm-out')).toHaveText(`[batch, time, ${2 * lstmUnits}]`);
  await expect(page.getByTestId('shape-dense-out')).toHaveText('[batch, time, 24]');
  await expect(block(page, 'dense')).toContainText('readout');
  await expect(page.getByTestId('unsaved-dot')).toHaveCount(0);
  await expect(page.getByTestId('data-source')).toContainText('reviews');
  await screenshot(page, 'compose-14-after-reload');

  // Dark theme follows the system.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(300);
  await screenshot(page, 'compose-15-dark-theme');
  expect(errors).toEqual([]);
});
