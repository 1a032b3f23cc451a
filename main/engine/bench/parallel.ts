// One training step of a bench config data-parallel on `workers` engines: this thread plus worker
// threads (main/training/shards), the batch split into shards, gradients summed, one Adam step
// (core/training/dataParallel.ts), exactly as a run with that many workers trains.
import { fileURLToPath } from 'node:url';
import { trainBatchParallel } from '../../../core/training/dataParallel.js';
import { SeededRandom } from '../../../core/training/random.js';
import type { RunSpec } from '../../training/protocol.js';
import { startShardPool } from '../../training/shards/shardPool.js';
import type { BenchConfig } from './configs.js';
import { benchClipping, benchModel, type BenchModel, benchOptimizer } from './ours.js';

const workloadModule = () =>
  fileURLToPath(
    new URL(import.meta.url.endsWith('.ts') ? './workload.ts' : './workload.js', import.meta.url),
  );

/**
 * The worker threads of a bench config's data-parallel step (`workers - 1` of them), each building the
 * config's model from the bench workload. Also used by the profiling scripts under scripts/bench.
 */
export function benchShardPool(c: BenchConfig, workers: number, backend: string, parameters: number) {
  const spec: RunSpec = {
    runId: `bench-${c.name}`,
    backend: backend as RunSpec['backend'],
    workload: { module: workloadModule(), options: { config: c.name } },
  };
  return startShardPool({ spec, backend, helpers: workers - 1, parameters });
}

/** With `shared`, trains that model and leaves it to the caller to dispose (see oursStep). */
export async function parallelStep(
  c: BenchConfig,
  workers: number,
  backend: string,
  shared?: BenchModel,
): Promise<{ step: () => Promise<void>; dispose: () => Promise<void> }> {
  const { model, batch } = shared ?? benchModel(c);
  const own = () => {
    if (!shared) model.dispose();
  };
  const parameters = model.weights.reduce((n, w) => n + w.variable.size, 0);
  let pool;
  try {
    pool = await benchShardPool(c, workers, backend, parameters);
  } catch (error) {
    own();
    throw error;
  }
  const helpers = pool;
  const optimizer = benchOptimizer();
  const random = new SeededRandom(1);
  return {
    step: async () => {
      const result = await trainBatchParallel(model, batch, helpers, optimizer, 1e-3, benchClipping, 0, () =>
        random.next(),
      );
      if (result.nonFinite) throw new Error(`bench ${c.name}: the loss or a gradient is not finite`);
    },
    dispose: async () => {
      await helpers.close();
      optimizer.dispose();
      own();
    },
  };
}
