// Playwright: the studio in Chromium against `rnn-studio serve`. Debian's chromium is used (Playwright
// cannot download its own browser here): CHROMIUM_PATH, else /usr/bin/chromium. Screenshots of every
// view go to test-results/screenshots/ for a person to look at.
import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import { E2E_PORT, E2E_TOKEN, E2E_DATA_DIR, E2E_WORKSPACE } from './test/e2e/studio.js';

const chromium =
  process.env.CHROMIUM_PATH ??
  ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/globalSetup.ts',
  outputDir: 'test-results/playwright',
  timeout: 180_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      ...(chromium ? { executablePath: chromium } : {}),
      // As root in a container Chromium needs --no-sandbox; the rest keep it off the closed network.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    // Its own data and projects folders under test-results/ (quoted: the clone's path may hold spaces).
    command: [
      `node bin/rnn-studio.mjs serve --port ${E2E_PORT} --token ${E2E_TOKEN}`,
      `--data-dir "${E2E_DATA_DIR}" --workspace "${E2E_WORKSPACE}"`,
    ].join(' '),
    url: `http://127.0.0.1:${E2E_PORT}/?token=${E2E_TOKEN}`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
});
