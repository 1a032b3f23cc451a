// tf.memory().numTensors is the same after epoch 2 and epoch 50 of a training run — on
// the wasm backend, where the fused ops keep per-loop tensors in wasm memory (ops/stepKernels.ts), with
// the real compiler and the real training loop, probes and gradient-through-time on, over every cell kind
// (one-hot LSTM, bidirectional GRU, Elman stack with dropout) and masked variable-length batches.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../../../core/data/batch.js';
import type { Graph } from '../../../../core/graph/types.js';
import { chain } from '../../../fixtures/graphs.js';
import { compileGraph } from '../../../../core/engine/compile.js';
import { TrainingConfigSchema } from '../../../../core/training/config.js';
import { RunControl } from '../../../../core/training/control.js';
import { train } from '../../../../core/training/loop.js';
import type { ExampleSource } from '../../../../core/training/source.js';
import { selectBackend } from '../../../../main/engine/backend.js';

beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

const T = 7,
  V = 9;

/** 24 sequences of lengths 2..7, each tagged with its own tokens (a copy task). */
function source(): ExampleSource {
  const n = 24;
  const lengths = Array.from({ length: n }, (_, i) => 2 + (i % (T - 1)));
  return {
    size: n,
    lengths,
    batch(indices: number[]): Batch {
      const B = indices.length;
      const tokens = new Int32Array(B * T);
      const mask = new Float32Array(B * T);
      indices.forEach((ex, b) => {
        for (let t = 0; t < lengths[ex]!; t++) {
          tokens[b * T + t] = 1 + ((ex * 5 + t * 3) % (V - 1));
          mask[b * T + t] = 1;
        }
      });
      return {
        tokens: { dtype: 'int32', shape: [B, T], data: tokens },
        mask: { dtype: 'float32', shape: [B, T], data: mask },
        labels: { dtype: 'int32', shape: [B, T], data: tokens.slice() },
      };
    },
  };
}

const GRAPHS: [string, Graph][] = [
  [
    'one-hot LSTM',
    chain([
      ['tokens', 'input', { role: 'tokens' }],
      ['onehot', 'embedding', { vocabularySize: V, oneHot: true }],
      ['rnn', 'lstm', { units: 8 }],
      ['tags', 'head', { units: V }],
    ]),
  ],
  [
    'bidirectional GRU',
    chain([
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: V, dimension: 5 }],
      ['bi', 'bidirectional', { merge: 'concat', layer: { kind: 'gru', params: { units: 6 } } }],
      ['tags', 'head', { units: V }],
    ]),
  ],
  [
    'Elman stack with dropout',
    chain([
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: V, dimension: 5 }],
      [
        'stack',
        'stack',
        {
          layers: 2,
          residual: true,
          dropout: 0.1,
          layer: { kind: 'elman', params: { units: 6, recurrentDropout: 0.1 } },
        },
      ],
      ['tags', 'head', { units: V }],
    ]),
  ],
];

describe.each(GRAPHS)('wasm training memory: %s', (_name, graph) => {
  it('holds the same number of tensors after epoch 2 and epoch 50, and learns', async () => {
    const model = compileGraph(graph, { task: 'tagging', seed: 4 });
    try {
      await trainAndCount(model);
    } finally {
      model.dispose();
    }
  });
});

async function trainAndCount(model: ReturnType<typeof compileGraph>): Promise<void> {
  const counts = new Map<number, number>();
  const losses: number[] = [];
  const end = await train({
    runId: 'memory',
    model,
    data: { task: 'tagging', train: source(), validation: source() },
    config: TrainingConfigSchema.parse({
      epochs: 50,
      batchSize: 8,
      seed: 2,
      optimizer: { kind: 'adam', learningRate: 0.03 },
      probe: { everyEpochs: 5 },
    }),
    backend: 'wasm',
    control: new RunControl(),
    hooks: {
      emit: (e) => {
        if (e.type !== 'epoch') return;
        counts.set(e.epoch, tf.memory().numTensors);
        losses.push(e.train.loss ?? NaN);
      },
      saveCheckpoint: (state, reason) => `mem:${reason}:${state.step}`,
      yieldToHost: async () => {},
    },
  });
  expect(end.status, JSON.stringify(end)).toBe('completed');
  expect([...counts.keys()]).toContain(50);
  expect(counts.get(2)).toBeGreaterThan(0);
  expect(counts.get(50)).toBe(counts.get(2));
  expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);
}
