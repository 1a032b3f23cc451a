// Entry of one data-parallel worker thread: its own tfjs instance (and wasm heap) with the run's model
// built from the same workload module as the engine, trained never by itself. Per request it loads the
// engine's weights from the shared buffer, computes one shard window's loss and gradient
// (core/training/step.ts windowGradients, the engine's own code) and writes the gradient into its shared
// buffer. Keeps its shard's recurrent state between truncated-BPTT windows.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { readNow } from '../../../core/engine/ops/stepKernels.js';
import { SeededRandom } from '../../../core/training/random.js';
import { disposeState, windowGradients } from '../../../core/training/step.js';
import { selectBackend, type BackendChoice } from '../../engine/backend.js';
import { loadWorkload } from '../runner.js';
import type { ShardWorkerInit, ToShardWorker, FromShardWorker } from './messages.js';
import { ThreadTimeline } from './timeline.js';

const port = parentPort;
if (!port) throw new Error('shardWorker must run in a worker thread.');
const init = workerData as ShardWorkerInit;
const post = (message: FromShardWorker) => port.postMessage(message);
const text = (error: unknown) => (error instanceof Error ? error.message : String(error));

try {
  await selectBackend(init.backend as BackendChoice);
  const { model } = await loadWorkload(init.spec);
  const parameters = model.weights.reduce((n, w) => n + w.variable.size, 0);
  const weights = new Float32Array(init.weights);
  const gradients = new Float32Array(init.gradients);
  const onWasm = tf.getBackend() === 'wasm';
  let carried: Record<string, Tensor[]> | undefined;
  port.on('message', (message: ToShardWorker) => {
    const timeline = message.timeline ? new ThreadTimeline() : undefined;
    try {
      let offset = 0;
      for (const w of model.weights) {
        // wasm copies a new tensor's values into its own memory; elsewhere (cpu keeps the array it is
        // given) slice() makes a private copy, so the engine overwriting the shared buffer cannot reach it.
        const end = offset + w.variable.size;
        const values = onWasm ? weights.subarray(offset, end) : weights.slice(offset, end);
        tf.tidy(() => w.variable.assign(tf.tensor(values, w.variable.shape, 'float32')));
        offset += w.variable.size;
      }
      timeline?.mark('load weights');
      if (!message.carry) {
        disposeState(carried);
        carried = undefined;
      }
      const random = new SeededRandom(message.seed);
      const result = windowGradients(model, message.batch, carried, () => random.next());
      disposeState(carried);
      carried = result.finalState;
      timeline?.mark('own shard');
      offset = 0;
      for (const w of model.weights) {
        const g = result.grads[w.name];
        // Read in place on wasm (no copy out of its memory first).
        if (g) gradients.set(readNow(g), offset);
        else gradients.fill(0, offset, offset + w.variable.size);
        offset += w.variable.size;
      }
      tf.dispose(Object.values(result.grads));
      timeline?.mark('write gradients');
      const { loss, count, metrics } = result;
      post({ type: 'result', loss, count, metrics, ...(timeline ? { spans: timeline.spans } : {}) });
    } catch (error) {
      post({ type: 'failed', message: text(error) });
    }
  });
  post({ type: 'ready', parameters });
} catch (error) {
  post({ type: 'failed', message: text(error) });
}
