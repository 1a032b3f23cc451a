// The bench config as a run workload, so data-parallel worker threads (main/training/shards) build the
// same model the bench engine trains. Options: { config: BenchName }. The one batch is all the data.
import type { Workload } from '../../training/workload.js';
import { WorkloadError } from '../../training/workload.js';
import { BENCH_CONFIGS, isBenchName } from './configs.js';
import { benchModel } from './ours.js';

export function createWorkload(options: unknown): Workload {
  const name = (options as { config?: unknown } | undefined)?.config;
  if (typeof name !== 'string' || !isBenchName(name))
    throw new WorkloadError(`No bench config "${String(name)}".`);
  const c = BENCH_CONFIGS[name];
  const { model, batch } = benchModel(c);
  return { model, data: { train: { size: c.B, batch: () => batch } }, config: {} };
}
