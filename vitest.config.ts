import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit and integration tests. Playwright E2E lives in test/e2e and runs with `playwright test`.
export default defineConfig({
  // The renderer's `@/…` imports, so its stores and components can be unit-tested.
  resolve: { alias: { '@': fileURLToPath(new URL('./renderer/src', import.meta.url)) } },
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // Hosts and CLI runs started by tests keep their data and projects folders out of the user's home.
    env: {
      RNN_STUDIO_DATA_DIR: join(tmpdir(), 'rnn-studio-tests', 'data'),
      RNN_STUDIO_WORKSPACE: join(tmpdir(), 'rnn-studio-tests', 'workspace'),
    },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
