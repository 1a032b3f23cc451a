// electron-vite: one config with the shell's main process, its preload and the renderer.
import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { rendererConfig } from './renderer/vite.config.js';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/electron/main',
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          // The engine process of a run, and the workload module it loads by path (main/training).
          engineProcess: resolve('electron/main/engineProcess.ts'),
          projectWorkload: resolve('main/training/projectWorkload.ts'),
          // A data-parallel training worker thread, started by the engine process beside it.
          shardWorker: resolve('main/training/shards/shardWorker.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin({ exclude: ['zod'] })],
    build: {
      outDir: 'out/electron/preload',
      // A sandboxed preload cannot be an ES module: bundle it (zod included) as one CommonJS file.
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: { ...rendererConfig.build, rollupOptions: { input: resolve('renderer/index.html') } },
  },
});
