// Which compute backends this install could train on, for the badge and `app.info`. Only looks for the
// packages (cheap); the engine's backend ladder is what actually loads one for a run.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const ladder: { name: string; pkg: string }[] = [
  { name: 'tensorflow-gpu', pkg: '@tensorflow/tfjs-node-gpu' },
  { name: 'tensorflow', pkg: '@tensorflow/tfjs-node' },
  { name: 'wasm', pkg: '@tensorflow/tfjs-backend-wasm' },
  { name: 'cpu', pkg: '@tensorflow/tfjs-backend-cpu' },
];

export async function availableBackends(): Promise<{ name: string; available: boolean; note?: string }[]> {
  return ladder.map(({ name, pkg }) => {
    try {
      require.resolve(`${pkg}/package.json`);
      return { name, available: true };
    } catch {
      return { name, available: false, note: `${pkg} is not installed` };
    }
  });
}
