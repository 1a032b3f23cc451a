// The embedding block's lookup (ops/embeddingLookup.ts) replaces tf.gather on the hot path: it must give
// exactly tf.gather's rows and tf.gather's table gradient (repeated ids summed), on the cpu backend and on
// wasm (where it reads the table straight from the backend's memory), and refuse ids outside the table.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../../../../core/engine/gradients.js';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../../main/engine/backend.js';
import { embeddingLookup } from '../../../../../core/engine/ops/embeddingLookup.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

const V = 7;
const E = 5;
const tableValues = Float32Array.from({ length: V * E }, (_, i) => Math.sin(i * 1.7) * 3);
// Rank-2 ids [3,4] with repeats (3 three times, 0 twice) and a
// weighting so each output row's gradient differs.
const ids = [
  [3, 0, 6, 3],
  [1, 3, 0, 2],
  [5, 5, 4, 6],
];
const weights = Float32Array.from({ length: 12 * E }, (_, i) => ((i * 37) % 11) - 5);

function run(lookup: (table: tf.Tensor2D, ids: tf.Tensor) => tf.Tensor, idTensor: () => tf.Tensor) {
  return tf.tidy(() => {
    const table = tf.tensor2d(tableValues, [V, E]);
    const idsT = idTensor();
    const w = tf.tensor(weights.subarray(0, idsT.size * E), [...idsT.shape, E]);
    const f = (t: tf.Tensor) => tf.sum(tf.mul(lookup(t as tf.Tensor2D, idsT), w)) as tf.Scalar;
    const value = lookup(table, idsT);
    const grad = tf.grad(f)(table);
    return { rows: Array.from(value.dataSync()), shape: value.shape, grad: Array.from(grad.dataSync()) };
  });
}

describe.each(['cpu', 'wasm'])('embedding lookup on %s', (backend) => {
  it(
    'equals tf.gather: the rows, their shape and the ' + 'summed table gradient, for rank-2 and rank-1 ids',
    async () => {
      if (backend === 'wasm') await selectBackend('wasm');
      else await tf.setBackend('cpu');
      for (const idTensor of [
        () => tf.tensor2d(ids, [3, 4], 'int32'),
        () => tf.tensor1d(ids.flat(), 'int32'),
      ]) {
        const ours = run(embeddingLookup, idTensor);
        const reference = run((t, i) => tf.gather(t, i), idTensor);
        expect(ours.shape).toEqual(reference.shape);
        expect(ours.rows).toEqual(reference.rows);
        expect(ours.grad).toEqual(reference.grad);
        // Row 3 is read three times: its gradient is the sum of three weight rows, not zero and not one.
        expect(ours.grad.slice(3 * E, 4 * E).some((g) => g !== 0)).toBe(true);
      }
      const before = tf.memory().numTensors;
      run(embeddingLookup, () => tf.tensor2d(ids, [3, 4], 'int32'));
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('refuses an id outside the vocabulary, naming it and its position', async () => {
    if (backend === 'wasm') await selectBackend('wasm');
    else await tf.setBackend('cpu');
    const table = tf.tensor2d(tableValues, [V, E]);
    const bad = tf.tensor2d(
      [
        [1, 2],
        [7, 0],
      ],
      [2, 2],
      'int32',
    );
    expect(() => embeddingLookup(table, bad)).toThrow(
      'embedding: token id 7 at position 2 of the batch is outside the vocabulary (ids 0 to 6)',
    );
    tf.dispose([table, bad]);
  });
});
