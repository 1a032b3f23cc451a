// The playground's look inside the model, in Chromium against the web host: on a trained sentiment model
// (a saved run whose checkpoint holds seeded weights), type a sentence, press Show gates, and the gate
// and hidden-state heatmaps appear over the typed words; hovering a cell shows the same number the host
// computed for that unit and word.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { InsideResult } from '../../core/api/playground.js';
import { trainedTemplate } from '../fixtures/training/trainedProjectFile.js';
import { E2E_DATA_DIR, openStudio, screenshot } from './studio.js';

test(
  'type a sentence in the playground: ' + 'gates and hidden states of each recurrent layer over its words',
  async ({ page }) => {
    mkdirSync(E2E_DATA_DIR, { recursive: true });
    const file = join(E2E_DATA_DIR, `inside-${Date.now()}.rnnproj`);
    await trainedTemplate(file, 'sentiment');

    await page.addInitScript(() => localStorage.setItem('rnn-studio.started', 'yes'));
    await openStudio(page);
    await expect(page.getByTestId('title')).toHaveText(/No project open/);
    await expect(page.getByTestId('template-sentiment')).toBeVisible();
    const path = page.getByRole('textbox', { name: /path/i });
    await path.fill(file);
    await expect(path).toHaveValue(file);
    await page.locator('form.open button[type=submit]').click();
    await expect(page.getByTestId('title')).toContainText(/sentiment/i);

    await page.getByTestId('tab-playground').click();
    await page.getByTestId('bottom-maximize').click();
    const sentence = 'a wonderful film , truly great';
    await page.getByTestId('inside-input').fill(sentence);
    await page.getByTestId('inside-run').click();
    const gates = page.locator('[data-chart=heatmap][data-title^="Gate \\"forget\\""]');
    const hidden = page.locator('[data-chart=heatmap][data-title^="Hidden state"]');
    await expect(gates).toBeVisible({ timeout: 60_000 });
    await expect(hidden).toBeVisible();
    await expect(page.getByTestId('inside-layer')).toHaveValue('bilstm');
    await expect(gates).toHaveAttribute('data-title', 'Gate "forget": bilstm · forward');
    await screenshot(page, 'inside-typed-gates');

    // The host's answer for the same input, to check what a hover shows.
    const answer = await page.evaluate(async (input) => {
      const token = new URLSearchParams(location.search).get('token');
      const last = JSON.parse(localStorage.getItem('rnn-studio.last-project') ?? '{}') as {
        projectId: string;
      };
      const response = await fetch('/api/call/playground.inside', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ projectId: last.projectId, input }),
      });
      return (await response.json()) as { ok: boolean; result: InsideResult };
    }, sentence);
    expect(answer.ok).toBe(true);
    const forward = answer.result.layers.find((l) => l.layer === 'bilstm')!;
    expect(forward.steps.slice(1)).toEqual(['wonderful', 'film', ',', 'truly', 'great']);

    const box = (await gates.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tip = page.locator('[data-test=heatmap-tip]');
    await expect(tip).toBeVisible();
    const [unitLine, tokenLine, valueLine] = await tip.locator('div').allInnerTexts();
    const unit = Number(/unit (\d+)/.exec(unitLine!)![1]);
    const step = forward.steps.indexOf(/token (.+)/.exec(tokenLine!)![1]!.trim());
    expect(step).toBeGreaterThanOrEqual(0);
    const shown = Number(/= (-?[\d.e-]+)/.exec(valueLine!)![1]);
    const forget = forward.gates.find((g) => g.gate === 'forget')!.values;
    expect(shown).toBeCloseTo(forget[unit]![step]!, 3);
  },
);
