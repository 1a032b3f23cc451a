// The Histograms tab after a short run of a template, in Chromium against `rnn-studio serve`: one heatmap
// row per epoch for a weight tensor, its tensor and layer pickers, the activations of a layer on the probe
// example, and the CSV behind the chart (screenshots kept in renderer/docs/screenshots/histograms-*.png).
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { docScreenshot, openStudio, screenshot } from './studio.js';

test('after two epochs the Histograms tab shows weights and activations per layer over epochs', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.addInitScript(() => localStorage.setItem('rnn-studio.started', 'yes'));
  await openStudio(page);
  await page.getByTestId('template-sentiment').click();
  await page.getByTestId('tab-histograms').click();
  const view = page.locator('[data-view=histograms]');
  await expect(view.locator('.empty')).toContainText('No histograms yet');

  await page.getByTestId('tab-training').click();
  await page.locator('[data-test=epochs]').fill('2');
  await page.locator('[data-test=train]').click();
  await expect(page.locator('[data-test=status-line] .status')).toHaveAttribute('data-status', 'completed', {
    timeout: 240_000,
  });

  await page.getByTestId('tab-histograms').click();
  const chart = view.locator('[data-chart=heatmap]');
  await expect(chart).toBeVisible();
  // Weights first: the first layer with weights and its first tensor.
  await expect(chart).toHaveAttribute('data-title', /^Weights: .+ · /);
  const layers = view.locator('[data-test=histogram-layer] option');
  await expect(layers).not.toHaveCount(0);
  await expect(view.locator('[data-test=histogram-summary]')).toContainText(/^Epoch 2: mean /);
  // The bidirectional LSTM has six weight tensors (kernel, recurrent kernel, bias per direction).
  await view.locator('[data-test=histogram-layer]').selectOption({ label: 'bilstm' });
  const tensors = view.locator('[data-test=histogram-tensor] option');
  await expect(tensors).toHaveCount(6);
  await view.locator('[data-test=histogram-tensor]').selectOption({ label: 'forward/recurrent_kernel' });
  await expect(chart).toHaveAttribute('data-title', 'Weights: bilstm · forward/recurrent_kernel');

  // The chart's data: one row per epoch, 40 value columns, each row's percentages summing to 100.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    view.getByRole('button', { name: 'CSV' }).click(),
  ]);
  const csv = readFileSync((await download.path())!, 'utf8')
    .trim()
    .split('\n');
  expect(csv).toHaveLength(3);
  const rows = csv.slice(1).map((line) => line.split(',').map(Number));
  expect(rows.map((r) => r[0])).toEqual([1, 2]);
  for (const r of rows) {
    expect(r).toHaveLength(41);
    expect(r.slice(1).reduce((a, b) => a + b, 0)).toBeCloseTo(100, 3);
  }
  // Maximised, as a person studying the picture would: the axis, the summary and the caption in view.
  await page.getByTestId('bottom-maximize').click();
  await expect(view.locator('.caption').last()).toBeInViewport();
  await screenshot(page, 'histograms-weights');
  await docScreenshot(page.locator('[data-testid=bottom-panel]'), 'histograms-weights');

  await view.getByLabel('Activations').check();
  await expect(chart).toHaveAttribute('data-title', /^Activations: /);
  await view.locator('[data-test=histogram-layer]').selectOption({ label: 'bilstm' });
  await expect(chart).toHaveAttribute('data-title', 'Activations: bilstm');
  await expect(view.locator('[data-test=histogram-tensor]')).toHaveCount(0);
  await view.locator('[data-test=histogram-log]').check();
  await screenshot(page, 'histograms-activations');
  await docScreenshot(page.locator('[data-testid=bottom-panel]'), 'histograms-activations');
});
