// Messages between the engine and its data-parallel worker threads (shardPool.ts ⇄ shardWorker.ts).
// Weights and gradients do not travel in messages: they sit in SharedArrayBuffers, weights written by the
// engine before a request, each worker's gradient written by it before its answer.
import type { Batch } from '../../../core/data/batch.js';
import type { TimelineSpan } from '../../../core/training/dataParallel.js';
import type { RunSpec } from '../protocol.js';

export interface ShardWorkerInit {
  /** The run's spec: the worker builds the same workload (model) from it. */
  spec: RunSpec;
  /** The backend the engine selected, by name. */
  backend: string;
  /** Float32 weights, concatenated in model.weights order (shared by every worker). */
  weights: SharedArrayBuffer;
  /** Float32 gradient of this worker's shard, same layout (one per worker). */
  gradients: SharedArrayBuffer;
}

export type ToShardWorker = {
  type: 'compute';
  batch: Batch;
  carry: boolean;
  seed: number;
  /** Answer the window's phases (timeline.ts) with the result. */
  timeline?: boolean;
};

export type FromShardWorker =
  | { type: 'ready'; parameters: number }
  | {
      type: 'result';
      loss: number;
      count: number;
      metrics: Record<string, number>;
      spans?: TimelineSpan[];
    }
  | { type: 'failed'; message: string };
