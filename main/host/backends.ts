// Which compute backends this install could train on, for the badge and `app.info`. Looks for the
// packages (cheap), and for webgpu also asks Dawn for an adapter once: the badge should name the rung
// `auto` would take, and webgpu is only taken on a hardware adapter. The engine's backend ladder is what
// actually loads one for a run.
import { createRequire } from 'node:module';
import { findWebGpuAdapter, noAdapterReason } from '../engine/webgpu.js';

const require = createRequire(import.meta.url);

const ladder: { name: string; pkg: string }[] = [
  { name: 'webgpu', pkg: 'webgpu' },
  { name: 'tensorflow-gpu', pkg: '@tensorflow/tfjs-node-gpu' },
  { name: 'tensorflow', pkg: '@tensorflow/tfjs-node' },
  { name: 'wasm', pkg: '@tensorflow/tfjs-backend-wasm' },
  { name: 'cpu', pkg: '@tensorflow/tfjs-backend-cpu' },
];

type Availability = { name: string; available: boolean; note?: string };
let webgpu: Promise<Availability> | null = null;

function webGpuAvailability(): Promise<Availability> {
  webgpu ??= findWebGpuAdapter().then(
    (adapter): Availability => {
      if (!adapter) return { name: 'webgpu', available: false, note: noAdapterReason() };
      if (adapter.fallback)
        return {
          name: 'webgpu',
          available: false,
          note: `software adapter only (${adapter.name}): used when chosen`,
        };
      return { name: 'webgpu', available: true, note: adapter.name };
    },
    (error: unknown) => ({ name: 'webgpu', available: false, note: `Dawn did not start: ${String(error)}` }),
  );
  return webgpu;
}

export async function availableBackends(): Promise<Availability[]> {
  return Promise.all(
    ladder.map(({ name, pkg }) => {
      try {
        require.resolve(`${pkg}/package.json`);
      } catch {
        return { name, available: false, note: `${pkg} is not installed` };
      }
      return name === 'webgpu' ? webGpuAvailability() : { name, available: true };
    }),
  );
}
