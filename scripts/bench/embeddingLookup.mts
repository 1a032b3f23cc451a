// Embedding lookup cost on wasm: tf.gather of 1600 rows from a [5000,100] table (the tag-bilstm shape).
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
await selectBackend('wasm');
const table = tf.randomNormal([5000, 100]);
const ids = tf.tensor1d(
  Array.from({ length: 1600 }, (_, i) => (i * 7919) % 5000),
  'int32',
);
const time = (label: string, f: () => tf.Tensor) => {
  for (let i = 0; i < 3; i++) f().dispose();
  const t = performance.now();
  for (let i = 0; i < 50; i++) f().dispose();
  console.log(label, ((performance.now() - t) / 50).toFixed(2), 'ms');
};
time('gather', () => tf.gather(table, ids));
time('gather ids 2d', () => tf.gather(table, tf.reshape(ids, [32, 50])));
time('JS rows via dataSync', () => {
  const t = table.dataSync() as Float32Array;
  const idv = ids.dataSync() as Int32Array;
  const out = new Float32Array(1600 * 100);
  for (let i = 0; i < 1600; i++) out.set(t.subarray(idv[i]! * 100, idv[i]! * 100 + 100), i * 100);
  return tf.tensor2d(out, [1600, 100]);
});
time('oneHot matMul', () => tf.tidy(() => tf.matMul(tf.oneHot(ids, 5000), table)));
const { embeddingLookup } = await import('../../core/engine/ops/embeddingLookup.js');
time('embeddingLookup (tag-bilstm)', () => embeddingLookup(table as tf.Tensor2D, ids));
const big = tf.randomNormal([10000, 128]) as tf.Tensor2D;
const bigIds = tf.tensor2d(
  Array.from({ length: 12800 }, (_, i) => (i * 7919) % 10000),
  [64, 200],
  'int32',
);
time('gather (cls-gru)', () => tf.gather(big, bigIds));
time('embeddingLookup (cls-gru)', () => embeddingLookup(big, bigIds));
