// Training on the GPU as a user asks for it, in Chromium against `rnn-studio serve`: open the adding
// template, make it tiny in the inspector (LSTM 8 units, batches of 128: one epoch is 25 batches), choose
// Backend = webgpu beside Train and train one epoch. The status line's backend chip names webgpu and the
// adapter the host found, batches arrive, the run finishes, and the loss chart holds one point per batch.
// Here (no GPU) the adapter is the SwiftShader emulator that Debian's chromium ships, which the engine
// finds by itself (main/engine/softwareVulkan.ts): slow, hence the tiny model. Where the host has no
// WebGPU adapter at all, that test says so and is skipped.
// Then the same choice on a host that has no adapter (a second host of its own, whose Vulkan loader is
// given no driver): the run trains on wasm and the Training tab says why in a warning.
// Screenshots: test-results/screenshots/webgpu-*.png.
import { expect, test, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { E2E_DATA_DIR, E2E_PORT, E2E_TOKEN, openStudio, screenshot } from './studio.js';

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

/**
 * The adding template made tiny in the inspector, as a user would (the emulator computes on the CPU),
 * then one epoch with Backend = webgpu chosen beside Train.
 */
async function trainTinyOnWebGpu(page: Page, runName: string): Promise<void> {
  await page.getByTestId('tb-new').click();
  await page.getByTestId('template-adding-problem').click();
  await expect(page.getByTestId('template-adding-problem')).toBeHidden();
  await page.getByTestId('training-settings').locator('#field-batchSize').fill('128');
  await page.locator('.vue-flow__node[data-id="lstm"] header').click();
  await page.getByTestId('inspector').locator('#field-units').fill('8');
  await expect(page.getByTestId('shape-lstm-out')).toHaveText('[batch, 8]');

  await page.getByTestId('tab-training').click();
  await page.locator('[data-test=epochs]').fill('1');
  await page.locator('[data-test=run-name]').fill(runName);
  await page.locator('[data-test=backend]').selectOption('webgpu');
  await page.locator('[data-test=train]').click();
}

test('Backend = webgpu: the run trains on the GPU adapter, the chip names it, the loss chart draws', async ({
  page,
}) => {
  await openStudio(page);
  const found = await hostAdapter(page);
  test.skip('missing' in found, `the host says: ${'missing' in found && found.missing}; webgpu E2E skipped`);
  const adapter = 'adapter' in found ? found.adapter : '';

  await trainTinyOnWebGpu(page, 'on webgpu');

  const chip = page.locator('[data-test=backend-chip]');
  await expect(chip).toHaveText(`backend: webgpu (${adapter}) · 1 worker`, { timeout: 120_000 });
  // The chip's hover text starts with the rung's description (a many-core machine's `workers: auto` adds
  // that data-parallel workers run on the CPU rungs only).
  const described = `webgpu (${adapter})`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expect(chip).toHaveAttribute('title', new RegExp(`^${described}(;|$)`));
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

test('Backend = webgpu where the host has no adapter: trains on wasm and the Training tab says why', async ({
  page,
}) => {
  // Only Vulkan (Linux) reads its drivers from VK_ICD_FILENAMES; Metal and Direct3D cannot be taken away.
  test.skip(process.platform !== 'linux', 'a host without an adapter is made through Vulkan, on Linux only');
  const port = E2E_PORT * 10; // this test's own host, in the E2E port's range
  const dir = join(E2E_DATA_DIR, '..', 'e2e-webgpu-none');
  rmSync(dir, { recursive: true, force: true });
  const host = spawn(
    process.execPath,
    [
      'bin/rnn-studio.mjs',
      'serve',
      ...['--port', String(port), '--token', E2E_TOKEN],
      ...['--data-dir', join(dir, 'data'), '--workspace', join(dir, 'workspace')],
    ],
    {
      // A driver file that does not exist: the loader has no driver, Dawn no adapter.
      env: { ...process.env, VK_ICD_FILENAMES: join(dir, 'no_such_icd.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    let output = '';
    const serving = new Promise<void>((resolve, reject) => {
      host.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('RNN Studio is serving at')) resolve();
      });
      host.stderr.on('data', (chunk: Buffer) => (output += chunk.toString())); // read, so it never blocks
      host.on('exit', (code) => reject(new Error(`the host exited (${code}) before serving: ${output}`)));
    });
    await serving;
    await page.goto(`http://127.0.0.1:${port}/?token=${E2E_TOKEN}`);
    await trainTinyOnWebGpu(page, 'webgpu without adapter');

    const chip = page.locator('[data-test=backend-chip]');
    await expect(chip).toHaveText('backend: wasm · 1 worker', { timeout: 120_000 });
    await expect(chip).toHaveAttribute('title', /backend webgpu unavailable \(no WebGPU adapter/);
    const warning = page.locator('[data-view=training] .warning', { hasText: 'webgpu backend' });
    await expect(warning).toHaveText(
      'The webgpu backend was chosen but could not start: no WebGPU adapter: Dawn accepts no Vulkan ' +
        `driver that VK_ICD_FILENAMES names (${join(dir, 'no_such_icd.json')}); is the Vulkan loader ` +
        '(libvulkan1) installed? This run trains on wasm instead.',
    );
    await expect(status(page)).toContainText(/Finished|Stopped|Failed/, { timeout: 120_000 });
    await screenshot(page, 'webgpu-unavailable');
    await expect(status(page)).toContainText('Finished');
  } finally {
    host.kill('SIGTERM');
    if (host.exitCode === null && host.signalCode === null) await once(host, 'exit');
  }
});
