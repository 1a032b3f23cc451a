// Weight-gradient product of lm-lstm (dGᵀ[1024×6400]·[h|1][6400×257]) whole vs split along K (time
// chunks), to see whether cache blocking pays on wasm.
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
await selectBackend('wasm');
const N = 6400, G = 1024, W = 257;
const A = tf.randomNormal([G, N]) as tf.Tensor2D;
const Bm = tf.randomNormal([N, W]) as tf.Tensor2D;
function time(label: string, f: () => tf.Tensor, reps = 4) {
  tf.tidy(() => { f().dataSync(); });
  const c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) tf.tidy(() => { f().dataSync(); });
  const c = process.cpuUsage(c0);
  console.log(label.padEnd(30), ((c.user + c.system) / 1000 / reps).toFixed(1), 'ms cpu');
}
time('whole', () => tf.matMul(A, Bm));
for (const K of [256, 512, 1024, 2048]) {
  const as: tf.Tensor2D[] = [], bs: tf.Tensor2D[] = [];
  for (let k = 0; k < N; k += K) { as.push(tf.slice(A, [0, k], [G, Math.min(K, N - k)])); bs.push(tf.slice(Bm, [k, 0], [Math.min(K, N - k), W])); }
  time(`chunks of ${K}`, () => tf.addN(as.map((a, i) => tf.matMul(a, bs[i]!))));
}
