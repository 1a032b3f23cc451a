// The timeline of a data-parallel step (scripts/bench/timeline.mts reads it): with a StepTimeline,
// trainBatchParallel marks each phase on the engine's thread in order, back to back, and the worker thread
// answers its own phases on the same clock, inside the engine's wait; without one, the worker answers none.
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitBatch, trainBatchParallel } from '../../../../core/training/dataParallel.js';
import { ClippingConfigSchema, OptimizerConfigSchema } from '../../../../core/training/config.js';
import { Optimizer } from '../../../../core/training/optimizers.js';
import { SeededRandom } from '../../../../core/training/random.js';
import { type ShardPool, startShardPool } from '../../../../main/training/shards/shardPool.js';
import { ThreadTimeline } from '../../../../main/training/shards/timeline.js';
import type { Workload } from '../../../../main/training/workload.js';
import { createWorkload } from '../../../fixtures/training/parallelWorkload.js';

const module = fileURLToPath(new URL('../../../fixtures/training/parallelWorkload.ts', import.meta.url));
const options = { model: 'lstm-lm' as const };

describe('data-parallel step timeline', () => {
  let workload: Workload;
  let pool: ShardPool;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    workload = await createWorkload(options);
    const parameters = workload.model.weights.reduce((n, w) => n + w.variable.size, 0);
    pool = await startShardPool({
      spec: { runId: 'timeline', backend: 'cpu', workload: { module, options } },
      backend: 'cpu',
      helpers: 1,
      parameters,
    });
  }, 60_000);

  afterAll(async () => {
    await pool?.close();
    workload?.model.dispose();
  });

  it('marks every phase in order on both threads, on one clock', async () => {
    const batch = workload.data.train.batch([0, 1, 2, 3, 4, 5]);
    const optimizer = new Optimizer(OptimizerConfigSchema.parse({ kind: 'adam' }));
    const clipping = ClippingConfigSchema.parse({ kind: 'none' });
    const random = new SeededRandom(3);
    const timeline = new ThreadTimeline();
    const result = await trainBatchParallel(
      workload.model,
      batch,
      pool,
      optimizer,
      1e-3,
      clipping,
      0,
      () => random.next(),
      timeline,
    );
    optimizer.dispose();
    expect(Number.isFinite(result.loss)).toBe(true);

    const engine = timeline.spans;
    expect(engine.map((s) => s.phase)).toEqual([
      'idle',
      'split',
      'publish weights',
      'send',
      'own shard',
      'wait for workers',
      'sum gradients',
      'gradient norms',
      'optimizer',
      'telemetry',
    ]);
    engine.forEach((s, i) => {
      expect(s.end).toBeGreaterThanOrEqual(s.start);
      if (i > 0) expect(s.start).toBe(engine[i - 1]!.end);
    });

    const worker = timeline.helpers.get(1)!;
    expect(worker.map((s) => s.phase)).toEqual(['load weights', 'own shard', 'write gradients']);
    const at = (phase: string) => engine.find((s) => s.phase === phase)!;
    // The worker starts after the request was sent and answers before the engine's wait ends (1 ms for
    // the two threads' clock origins, which are rounded).
    expect(worker[0]!.start).toBeGreaterThanOrEqual(at('send').start - 1);
    expect(worker[2]!.end).toBeLessThanOrEqual(at('wait for workers').end + 1);
  });

  it('answers no phases when the request asks for no timeline', async () => {
    const [, shard] = splitBatch(workload.data.train.batch([0, 1, 2, 3]), 2);
    const [plain] = await pool.compute([{ batch: shard!, carry: false, seed: 1 }]);
    expect(plain!.spans).toBeUndefined();
    const [traced] = await pool.compute([{ batch: shard!, carry: false, seed: 1, timeline: true }]);
    expect(traced!.spans?.map((s) => s.phase)).toEqual(['load weights', 'own shard', 'write gradients']);
    expect(traced!.loss).toBe(plain!.loss);
  });
});
