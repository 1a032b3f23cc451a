// The engine's data-parallel helpers: N−1 worker threads (shardWorker.ts), each with its own tfjs and
// model, answering one shard window at a time (core/training/dataParallel.ts drives them). A worker
// that fails or dies fails the step with a message naming it; `close` ends every thread, whatever
// happened, and resolves once they are gone.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StudioModel } from '../../../core/engine/types.js';
import type { ShardHelpers, ShardOutcome, ShardRequest } from '../../../core/training/dataParallel.js';
import type { RunSpec } from '../protocol.js';
import type { FromShardWorker, ShardWorkerInit, ToShardWorker } from './messages.js';

export interface ShardPool extends ShardHelpers {
  close(): Promise<void>;
}

export interface ShardPoolOptions {
  spec: RunSpec;
  backend: string;
  /** Worker threads to start (the engine computes one more shard itself). */
  helpers: number;
  /** The model's parameter count: sizes the shared buffers, checked against each worker's model. */
  parameters: number;
}

/** A worker thread on the entry: from source through tsx's loader (CLI, tests), built output as is. */
function spawn(init: ShardWorkerInit): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const api = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./shardWorker.ts', here).href;
    const boot =
      `import(${JSON.stringify(api)}).then((m) => { m.register(); ` +
      `return import(${JSON.stringify(entry)}); })`;
    return new Worker(boot, { eval: true, workerData: init });
  }
  // Built: the entry sits beside the bundle that imports this module, or one folder up from a chunk.
  const beside = fileURLToPath(new URL('./shardWorker.js', here));
  const entry = existsSync(beside) ? beside : fileURLToPath(new URL('../shardWorker.js', here));
  return new Worker(entry, { workerData: init });
}

class Helper {
  private waiting: { resolve: (m: FromShardWorker) => void; reject: (e: Error) => void } | null = null;
  private dead: Error | null = null;
  readonly gone: Promise<void>;

  constructor(
    readonly index: number,
    readonly worker: Worker,
    readonly gradients: Float32Array,
  ) {
    worker.on('message', (m: FromShardWorker) => {
      const w = this.waiting;
      this.waiting = null;
      w?.resolve(m);
    });
    worker.on('error', (error) => this.fail(new Error(`training worker ${index} crashed: ${error.message}`)));
    this.gone = new Promise((resolve) =>
      worker.once('exit', (code) => {
        this.fail(new Error(`training worker ${index} stopped (exit code ${code})`));
        resolve();
      }),
    );
  }

  private fail(error: Error): void {
    this.dead ??= error;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(this.dead);
  }

  /** The next message from this worker. */
  next(): Promise<FromShardWorker> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  send(message: ToShardWorker): void {
    this.worker.postMessage(message);
  }
}

async function answer(helper: Helper): Promise<Extract<FromShardWorker, { type: 'result' | 'ready' }>> {
  const m = await helper.next();
  if (m.type === 'failed') throw new Error(`training worker ${helper.index} failed: ${m.message}`);
  return m;
}

export async function startShardPool(options: ShardPoolOptions): Promise<ShardPool> {
  const bytes = Math.max(options.parameters, 1) * 4;
  const weightsBuffer = new SharedArrayBuffer(bytes);
  const helpers: Helper[] = [];
  const close = async () => {
    await Promise.all(helpers.map((h) => h.worker.terminate().then(() => h.gone)));
  };
  try {
    for (let i = 0; i < options.helpers; i++) {
      const gradients = new SharedArrayBuffer(bytes);
      const init: ShardWorkerInit = {
        spec: options.spec,
        backend: options.backend,
        weights: weightsBuffer,
        gradients,
      };
      helpers.push(new Helper(i + 1, spawn(init), new Float32Array(gradients)));
    }
    const ready = await Promise.all(helpers.map(answer));
    const wrong = ready.findIndex((m) => m.type !== 'ready' || m.parameters !== options.parameters);
    if (wrong >= 0)
      throw new Error(
        `training worker ${wrong + 1} built a different model than the engine (parameter counts differ).`,
      );
  } catch (error) {
    await close();
    throw error;
  }
  return {
    count: helpers.length,
    weights: new Float32Array(weightsBuffer),
    async compute(requests: ShardRequest[]): Promise<ShardOutcome[]> {
      const used = helpers.slice(0, requests.length);
      used.forEach((h, i) => h.send({ type: 'compute', ...(requests[i] as ShardRequest) }));
      const answers = await Promise.all(used.map(answer));
      return answers.map((m, i) => {
        if (m.type !== 'result') throw new Error(`training worker ${i + 1} answered out of turn.`);
        const gradients = (used[i] as Helper).gradients;
        return {
          loss: m.loss,
          count: m.count,
          metrics: m.metrics,
          gradients,
          ...(m.spans ? { spans: m.spans } : {}),
        };
      });
    },
    close,
  };
}

/**
 * Backends whose engine can run once per worker thread. tfjs-node binds one native TensorFlow per
 * process, and a GPU is one device: those train with one engine.
 */
const PARALLEL_BACKENDS = new Set(['wasm', 'cpu']);

/**
 * What a run of `workers` engines on `backend` starts besides its own engine: nothing for one, a pool of
 * worker threads building `spec`'s workload otherwise, or a note saying why the run trains on one engine.
 */
export async function startRunHelpers(
  spec: RunSpec,
  backend: string,
  workers: number,
  model: StudioModel,
): Promise<{ helpers?: ShardPool; note?: string }> {
  if (workers <= 1) return {};
  if (!PARALLEL_BACKENDS.has(backend))
    return { note: `one engine: data-parallel workers run on the wasm and cpu backends, not ${backend}` };
  const parameters = model.weights.reduce((n, w) => n + w.variable.size, 0);
  return { helpers: await startShardPool({ spec, backend, helpers: workers - 1, parameters }) };
}
