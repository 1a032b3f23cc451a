// Each block's output for the activation histograms (ForwardOptions.activations): every block but the
// inputs, with its mask, so the histogram of a padded batch counts real steps only and does not move when
// what sits in the padding changes.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../../../core/data/batch.js';
import { compileGraph } from '../../../../core/engine/compile.js';
import type { Graph } from '../../../../core/graph/types.js';
import {
  activationHistograms,
  keepActivations,
  type PendingActivation,
} from '../../../../core/training/histograms.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const B = 3,
  T = 5,
  V = 7;
const LENGTHS = [5, 2, 3];

const graph: Graph = {
  nodes: [
    { id: 'tokens', kind: 'input', params: { role: 'tokens' } },
    { id: 'embed', kind: 'embedding', params: { vocabularySize: V, dimension: 4 } },
    { id: 'bi', kind: 'bidirectional', params: { layer: { kind: 'gru', params: { units: 3 } } } },
    { id: 'tags', kind: 'head', params: { units: V } },
  ],
  edges: [
    { id: 'e0', from: { node: 'tokens', port: 'out' }, to: { node: 'embed', port: 'in' } },
    { id: 'e1', from: { node: 'embed', port: 'out' }, to: { node: 'bi', port: 'in' } },
    { id: 'e2', from: { node: 'bi', port: 'out' }, to: { node: 'tags', port: 'in' } },
  ],
};

/** Real tokens per LENGTHS; `pad` fills the padded positions (the model must ignore it). */
function batch(pad: number): Batch {
  const tokens = new Int32Array(B * T).fill(pad);
  const mask = new Float32Array(B * T);
  LENGTHS.forEach((n, b) => {
    for (let t = 0; t < n; t++) {
      tokens[b * T + t] = 1 + ((b * 2 + t * 3) % (V - 1));
      mask[b * T + t] = 1;
    }
  });
  return {
    tokens: { dtype: 'int32', shape: [B, T], data: tokens },
    mask: { dtype: 'float32', shape: [B, T], data: mask },
    labels: { dtype: 'int32', shape: [B, T], data: tokens.slice() },
  };
}

describe('activations of a forward pass', () => {
  const model = compileGraph(graph, { task: 'tagging', seed: 4 });

  async function histograms(pad: number) {
    const pending: PendingActivation[] = [];
    tf.tidy(() => {
      pending.push(...keepActivations(model.forward(batch(pad), { training: false, activations: true })));
    });
    return activationHistograms(pending);
  }

  it('every block but the input, each with the mask of its real steps', () => {
    tf.tidy(() => {
      const plain = model.forward(batch(0), { training: false });
      expect(plain.activations).toBeUndefined();
      const result = model.forward(batch(0), { training: false, activations: true });
      expect(Object.keys(result.activations!)).toEqual(['embed', 'bi', 'tags']);
      expect(result.activations!.embed!.tensor.shape).toEqual([B, T, 4]);
      expect(Array.from(result.activations!.bi!.mask!)).toEqual(Array.from(batch(0).mask!.data));
    });
  });

  it('histograms count the real steps only, whatever fills the padding', async () => {
    const before = tf.memory().numTensors;
    const a = await histograms(0);
    const b = await histograms(V - 1);
    expect(tf.memory().numTensors).toBe(before);
    const real = LENGTHS.reduce((x, y) => x + y, 0);
    expect(a.map((h) => [h.layer, h.histogram.count])).toEqual([
      ['embed', real * 4],
      ['bi', real * 6],
      ['tags', real * V],
    ]);
    expect(b).toEqual(a);
  });
});
