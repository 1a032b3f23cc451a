// The packaged app's Electron fuses, read from electron-builder.yml as electron-builder reads it (YAML):
// no Node mode through ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect, and only our own app.asar, checked
// for integrity on load. A missing key would leave Electron's default (the unsafe one), so each is required.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// js-yaml is the YAML reader electron-builder itself uses (a dependency of the build tools).
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const root = join(import.meta.dirname, '../../..');
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it(
    'flips the Electron fuses: runAsNode, NODE_OPTIONS and --inspect off; ' +
      'asar integrity and asar-only on',
    () => {
      expect(config.electronFuses).toMatchObject({
        runAsNode: false,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
      });
      // The fuses guard app.asar: packaging without it would leave nothing to validate.
      expect(config.asar).not.toBe(false);
    },
  );

  it(
    'the Electron shell never forks a Node child (runAsNode off would break it): ' +
      'runs use utilityProcess',
    () => {
      for (const file of ['main/index.ts', 'main/utilityLauncher.ts']) {
        const source = readFileSync(join(root, 'electron', file), 'utf8');
        expect(source, file).not.toMatch(/child_process/);
      }
      expect(readFileSync(join(root, 'electron/main/index.ts'), 'utf8')).toMatch(
        /launchRun: utilityLauncher\(/,
      );
    },
  );
});
