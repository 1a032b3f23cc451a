// Training on the GPU as a user asks for it, in Chromium against `rnn-studio serve`: open the adding
// template, make it tiny in the inspector (LSTM 8 units, batches of 128: one epoch is 25 batches), choose
// Backend = webgpu beside Train and train one epoch. The status line's backend chip names webgpu and the
// adapter the host found, batches arrive, the run finishes, and the loss chart holds one point per batch.
// Here (no GPU) the adapter is the SwiftShader emulator that Debian's chromium ships, which the engine
// finds by itself (main/engine/softwareVulkan.ts): slow, hence the tiny model. Where the host has no
// WebGPU adapter at all, the test says so and is skipped. Screenshot: test-results/screenshots/webgpu-*.png.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openStudio, screenshot } from './studio.js';

const status = (page: Page) => page.locator('[data-test=status-line]');

/** One host API call through the page's own token, as the studio makes it. */
async function call<T>(page: Page, name: string, payload: unknown): Promise<T> {
  return page.evaluate(
    async ([n, p]) => {
      const token =
        new URLSearchParams(location.search).get('token') ?? sessionStorage.getItem('rnn-studio-token');
      const response = await fetch(`/api/call/${n}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(p),
      });
      const answer = (await response.json()) as {
        ok: boolean;
        result?: unknown;
        error?: { message: string };
      };
      if (!answer.ok) throw new Error(`${n}: ${answer.error?.message}`);
      return answer.result;
    },
    [name, payload] as const,
  ) as Promise<T>;
}

/**
 * The adapter the host's Dawn offers (`google swiftshader, vulkan`), or why there is none. A software
 * adapter counts: a forced webgpu takes it.
 */
async function hostAdapter(page: Page): Promise<{ adapter: string } | { missing: string }> {
  const info = await call<{ backends: { name: string; available: boolean; note?: string }[] }>(
    page,
    'app.info',
    {},
  );
  const webgpu = info.backends.find((b) => b.name === 'webgpu');
  const note = webgpu?.note ?? '';
  if (webgpu?.available) return { adapter: note };
  const software = /^software adapter only \((.+)\): used when chosen$/.exec(note);
  if (software) return { adapter: software[1]! };
  return { missing: note || 'the host lists no webgpu backend' };
}

test('Backend = webgpu: the run trains on the GPU adapter, the chip names it, the loss chart draws', async ({
  page,
}) => {
  await openStudio(page);
  const found = await hostAdapter(page);
  test.skip('missing' in found, `no WebGPU adapter on this machine: ${'missing' in found && found.missing}`);
  const adapter = 'adapter' in found ? found.adapter : '';

  await page.getByTestId('tb-new').click();
  await page.getByTestId('template-adding-problem').click();
  await expect(page.getByTestId('template-adding-problem')).toBeHidden();
  // Tiny, through the inspector as a user would: the emulator computes on the CPU.
  const settings = page.getByTestId('training-settings');
  await settings.locator('#field-batchSize').fill('128');
  await page.locator('.vue-flow__node[data-id="lstm"] header').click();
  await page.getByTestId('inspector').locator('#field-units').fill('8');
  await expect(page.getByTestId('shape-lstm-out')).toHaveText('[batch, 8]');

  await page.getByTestId('tab-training').click();
  await page.locator('[data-test=epochs]').fill('1');
  await page.locator('[data-test=run-name]').fill('on webgpu');
  await page.locator('[data-test=backend]').selectOption('webgpu');
  await page.locator('[data-test=train]').click();

  const chip = page.locator('[data-test=backend-chip]');
  await expect(chip).toHaveText(`backend: webgpu (${adapter}) · 1 worker`, { timeout: 120_000 });
  await expect(chip).toHaveAttribute('title', `webgpu (${adapter})`);
  await expect(status(page)).toContainText(/batch \d+ \/ 25|Finished|Stopped|Failed/, { timeout: 120_000 });
  await expect(status(page)).toContainText(/Finished|Stopped|Failed/, { timeout: 180_000 });
  await screenshot(page, 'webgpu-training-done');
  await expect(status(page)).toContainText('Finished');
  await expect(status(page)).toContainText('epoch 1 / 1');
  await expect(status(page)).toContainText('batch 25 / 25');
  await expect(status(page)).toContainText('last checkpoint: epoch 1');
  await expect(page.locator('[data-view=training] .error')).toHaveCount(0);
  const runs = await call<{ name: string; status: string }[]>(page, 'runs.list', {
    projectId: await page.evaluate(
      () =>
        (JSON.parse(localStorage.getItem('rnn-studio.last-project') ?? '{}') as { projectId?: string })
          .projectId ?? '',
    ),
  });
  expect(runs.find((r) => r.name === 'on webgpu')?.status).toBe('completed');

  // The loss chart drew, from one loss per batch: its data as the CSV export writes it.
  await expect
    .poll(() => page.evaluate(() => performance.getEntriesByName('rnn-chart:Loss').length))
    .toBeGreaterThan(0);
  await page.mouse.move(5, 5);
  const download = page.waitForEvent('download');
  await page.locator('section[aria-label="Loss"] button', { hasText: 'CSV' }).click();
  const rows = readFileSync(await (await download).path(), 'utf8')
    .trim()
    .split('\n');
  expect(rows[0]).toBe('step,train loss (batch),train loss (epoch),validation loss');
  const batchLosses = rows.slice(1).map((row) => Number(row.split(',')[1]));
  expect(batchLosses).toHaveLength(25);
  for (const loss of batchLosses) expect(Number.isFinite(loss) && loss >= 0).toBe(true);
});
