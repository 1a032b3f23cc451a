// What every E2E test shares: where the studio under test listens, its token, and how to open it and
// keep a screenshot of a view.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from '@playwright/test';

export const E2E_PORT = Number(process.env.RNN_STUDIO_E2E_PORT ?? 5199);
export const E2E_TOKEN = 'e2e-token-0123456789abcdef0123456789abcdef';
export const E2E_DATA_DIR = resolve('test-results/e2e-data');
/** The studio's projects folder during E2E runs, so a run leaves the user's home alone. */
export const E2E_WORKSPACE = resolve('test-results/e2e-workspace');
export const SCREENSHOT_DIR = resolve('test-results/screenshots');
/** The pictures the docs show; a test run rewrites them only when asked, so it leaves the tree clean. */
const DOC_SCREENSHOT_DIR = resolve('renderer/docs/screenshots');
const UPDATE_DOC_SCREENSHOTS = process.env.RNN_STUDIO_DOC_SCREENSHOTS === '1';

/** Open the studio the way a user does: the URL `rnn-studio serve` printed, token included. */
export async function openStudio(page: Page): Promise<void> {
  await page.goto(`/?token=${E2E_TOKEN}`);
}

/** Save a screenshot under test-results/screenshots/<name>.png and return its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  console.log(`screenshot: ${path}`);
  return path;
}

/**
 * Save a picture of one part of a view that the docs show: always under test-results/screenshots/docs/,
 * and over renderer/docs/screenshots/<name>.png only when RNN_STUDIO_DOC_SCREENSHOTS=1.
 */
export async function docScreenshot(part: Locator, name: string): Promise<string> {
  const dir = UPDATE_DOC_SCREENSHOTS ? DOC_SCREENSHOT_DIR : join(SCREENSHOT_DIR, 'docs');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await part.screenshot({ path });
  console.log(`doc screenshot: ${path}`);
  return path;
}
