// Training on webgpu through the engine process's runner: the adding-problem template's graph (LSTM,
// 4 units, T3, one batch of 4 an epoch, 4 validation sequences) for 10 epochs. The run names its adapter in
// run-start; the first two epochs' batch losses follow the same run on wasm within 1e-3; tf.memory()
// (tensors and bytes) is the same at the end of every epoch from the 2nd to the 10th. And a tiny char LM
// (one-hot embedding, the bench's lm-lstm graph at B4 T5 H8) trains two steps with wasm's losses.
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { RunControl } from '../../../core/training/control.js';
import type { TelemetryEvent } from '../../../core/telemetry/events.js';
import type { BackendChoice } from '../../../core/api/backends.js';
import { trainBatch } from '../../../core/training/step.js';
import { selectBackend } from '../../../main/engine/backend.js';
import { BENCH_CONFIGS } from '../../../main/engine/bench/configs.js';
import { benchClipping, benchModel, benchOptimizer } from '../../../main/engine/bench/ours.js';
import { runSpec } from '../../../main/training/runner.js';
import { gpu } from './gpuSetup.js';

const workload = fileURLToPath(new URL('../../fixtures/training/engineWorkload.ts', import.meta.url));

interface Run {
  events: TelemetryEvent[];
  memoryAtEpochEnd: { numTensors: number; numBytes: number }[];
}

async function trainOn(backend: BackendChoice, epochs: number): Promise<Run> {
  const run: Run = { events: [], memoryAtEpochEnd: [] };
  const acks = new Map<number, (r: { location?: string }) => void>();
  const port = {
    postMessage: (m: { type: string; event?: TelemetryEvent; id?: number }) => {
      if (m.type === 'event' && m.event) {
        run.events.push(m.event);
        if (m.event.type === 'epoch') {
          const { numTensors, numBytes } = tf.memory();
          run.memoryAtEpochEnd.push({ numTensors, numBytes });
        }
      }
      if (m.type === 'checkpoint') queueMicrotask(() => acks.get(m.id!)?.({ location: 'memory' }));
    },
    onMessage: () => {},
  };
  await runSpec(
    {
      runId: `r-${backend}`,
      backend,
      workload: { module: workload, options: { epochs, units: 4, steps: 3, size: 4 } },
    },
    port as never,
    new RunControl(),
    acks as never,
  );
  return run;
}

const batchLosses = (run: Run) =>
  run.events.flatMap((e) => (e.type === 'batch' && e.loss !== null ? [e.loss] : []));

describe('training on webgpu', () => {
  it.skipIf(!gpu.ready)(
    `names the adapter, follows wasm's loss curve, keeps memory flat ${gpu.reason}`,
    async () => {
      const onWasm = await trainOn('wasm', 2);
      const onGpu = await trainOn('webgpu', 10);
      const start = onGpu.events.find((e) => e.type === 'run-start');
      expect(start?.type === 'run-start' && start.backend).toBe(`webgpu (${gpu.adapter})`);
      expect(onGpu.events.at(-1)?.type).toBe('run-end');
      const reference = batchLosses(onWasm);
      const losses = batchLosses(onGpu).slice(0, reference.length);
      expect(reference).toHaveLength(2);
      losses.forEach((loss, i) =>
        expect(Math.abs(loss - reference[i]!), `batch ${i + 1}: ${loss} vs ${reference[i]}`).toBeLessThan(
          1e-3,
        ),
      );
      const memory = onGpu.memoryAtEpochEnd.slice(1);
      expect(memory).toHaveLength(9);
      for (const m of memory) expect(m).toEqual(memory[0]);
    },
  );
});

/** Two training steps of a tiny char LM (ids → one-hot embedding → LSTM → head), their losses. */
async function charLmLosses(backend: BackendChoice): Promise<number[]> {
  await selectBackend(backend);
  const c = { ...BENCH_CONFIGS['lm-lstm'], B: 4, T: 5, H: 8 };
  const { model, batch } = benchModel(c);
  const optimizer = benchOptimizer();
  const losses: number[] = [];
  for (let i = 0; i < 2; i++)
    losses.push((await trainBatch(model, batch, optimizer, 1e-3, benchClipping, 0)).loss);
  optimizer.dispose();
  model.dispose();
  return losses;
}

describe('a one-hot embedding on webgpu', () => {
  it.skipIf(!gpu.ready)(
    `trains like on wasm (the int32 one-hot once broke a shader) ${gpu.reason}`,
    async () => {
      const reference = await charLmLosses('wasm');
      const losses = await charLmLosses('webgpu');
      losses.forEach((loss, i) => expect(Math.abs(loss - reference[i]!), `step ${i + 1}`).toBeLessThan(1e-3));
    },
  );
});
