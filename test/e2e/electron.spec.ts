// The real desktop app, driven through Playwright's Electron support. It needs the Electron binary, which
// `npm install` downloads where the network allows; on machines that cannot download it this test is
// skipped with the reason printed, and everything else still runs against the web host.
import { _electron, expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { screenshot } from './studio.js';
// @ts-expect-error -- a plain .mjs helper shared with `npm start`, without type declarations
import { electronBinary } from '../../scripts/electronBinary.mjs';

const binary = electronBinary() as string | null;
const mainBundle = 'out/electron/main/index.js';

test.describe('desktop app (Electron)', () => {
  test.skip(
    !binary,
    'Electron binary not installed (node_modules/electron/dist is missing: ' +
      'it cannot be downloaded on this machine). Install it with `node ' +
      'node_modules/electron/install.js` where the network allows.',
  );
  test.skip(!existsSync(mainBundle), `${mainBundle} is missing: run \`npm run build\` first.`);

  test('opens a hardened studio window on a working model', async () => {
    const app = await _electron.launch({ executablePath: binary!, args: [mainBundle] });
    const window = await app.firstWindow();
    await expect(window).toHaveTitle(/RNN Studio/);
    // No Node in the page, one bridge object from the preload.
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    );
    expect(
      await window.evaluate(() => typeof (globalThis as { studio?: { call?: unknown } }).studio?.call),
    ).toBe('function');
    const info = await window.evaluate(() =>
      (
        globalThis as unknown as { studio: { call(n: string, r: object): Promise<{ host: string }> } }
      ).studio.call('app.info', {}),
    );
    expect(info.host).toBe('electron');
    await screenshot(window, 'electron-main-window');
    await app.close();
  });
});
