// Self-attention weights are one thing everywhere: per head. The compiled model's `${node}/attention` is
// [B,H,T,T] (blocks.test.ts checks it equals the inference evaluator's), and the training probe, which
// feeds the Attention & gates dashboard, turns it into one heatmap per head (`${node}/head1`, …) holding
// exactly that head's map for the probe example.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../../../../../core/data/batch.js';
import { compileGraph } from '../../../../../core/engine/compile.js';
import type { Graph } from '../../../../../core/graph/types.js';
import { runProbe } from '../../../../../core/training/probe.js';
import type { ExampleSource } from '../../../../../core/training/source.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

const B = 3;
const T = 5;

const graph: Graph = {
  nodes: [
    { id: 'tokens', kind: 'input', params: { role: 'tokens' } },
    { id: 'embed', kind: 'embedding', params: { vocabularySize: 10, dimension: 12 } },
    { id: 'attend', kind: 'self-attention', params: { heads: 3, feedForward: 8, dropout: 0 } },
    { id: 'pool', kind: 'pooling', params: { mode: 'mean' } },
    { id: 'label', kind: 'head', params: { activation: 'softmax', units: 2 } },
  ],
  edges: [
    { id: 'e1', from: { node: 'tokens', port: 'out' }, to: { node: 'embed', port: 'in' } },
    { id: 'e2', from: { node: 'embed', port: 'out' }, to: { node: 'attend', port: 'in' } },
    { id: 'e3', from: { node: 'attend', port: 'out' }, to: { node: 'pool', port: 'in' } },
    { id: 'e4', from: { node: 'pool', port: 'out' }, to: { node: 'label', port: 'in' } },
  ],
};

function source(): ExampleSource {
  const lengths = [5, 3, 4];
  return {
    size: B,
    batch(indices) {
      const tokens = new Int32Array(indices.length * T);
      const mask = new Float32Array(indices.length * T);
      indices.forEach((e, r) => {
        for (let t = 0; t < lengths[e]!; t++) {
          tokens[r * T + t] = 1 + ((e * 3 + t * 5) % 9);
          mask[r * T + t] = 1;
        }
      });
      return {
        tokens: { dtype: 'int32', shape: [indices.length, T], data: tokens },
        mask: { dtype: 'float32', shape: [indices.length, T], data: mask },
        labels: { dtype: 'int32', shape: [indices.length], data: Int32Array.from(indices, (e) => e % 2) },
      } satisfies Batch;
    },
  };
}

describe('self-attention weights in the training probe', () => {
  it('one heatmap per head, each equal to that head of the model output', async () => {
    const model = compileGraph(graph, { task: 'classification', seed: 8 });
    try {
      const data = source();
      const probe = await runProbe(model, data, 1, 'train');
      expect(probe.attention.map((a) => a.layer)).toEqual(['attend/head1', 'attend/head2', 'attend/head3']);
      const heads = tf.tidy(
        () =>
          model
            .forward(data.batch([1]), { training: false })
            .outputs['attend/attention']!.arraySync() as number[][][][],
      )[0]!;
      probe.attention.forEach((a, h) => {
        expect(a.weights).toHaveLength(T);
        a.weights.forEach((row, q) =>
          row.forEach((v, k) => expect(Math.abs(v - heads[h]![q]![k]!)).toBeLessThanOrEqual(5e-5)),
        );
        // Example 1 has 3 real tokens: its padded keys get no weight.
        a.weights.forEach((row) => expect(row.slice(3).every((v) => v === 0)).toBe(true));
      });
    } finally {
      model.dispose();
    }
  });
});
