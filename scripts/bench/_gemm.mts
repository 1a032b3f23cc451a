// Times the three big products of one lm-lstm training step on wasm, to see how much of a step is GEMM.
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
import { stepProduct } from '../../core/engine/ops/stepKernels.js';
await selectBackend('wasm');
const B = 64, T = 100, H = 256, G = 4 * H, N = B * T;
const U = tf.randomNormal([H, G]) as tf.Tensor2D;
const UT = tf.transpose(U) as tf.Tensor2D;
function time(label: string, f: () => void, reps = 3) {
  f();
  const c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) f();
  const c = process.cpuUsage(c0);
  console.log(label.padEnd(40), ((c.user + c.system) / 1000 / reps).toFixed(1), 'ms cpu');
}
const fwd = stepProduct(B, H, U);
time('forward 100 x [64x256][256x1024]', () => { for (let t = 0; t < T; t++) { fwd.input()[0] = t; fwd.run(); } });
const bwd = stepProduct(B, G, UT);
time('backward 100 x [64x1024][1024x256]', () => { for (let t = 0; t < T; t++) { bwd.input()[0] = t; bwd.run(); } });
const dG = new Float32Array(N * G).map(() => Math.random());
const hp = new Float32Array(N * H).map(() => Math.random());
time('transpose dG [6400x1024]', () => tf.tidy(() => { tf.transpose(tf.tensor2d(dG, [N, G])).dataSync(); }));
time('dGT[1024x6400] . [h|1][6400x257]', () => tf.tidy(() => {
  const a = tf.transpose(tf.tensor2d(dG, [N, G]));
  const r = tf.concat([tf.tensor2d(hp, [N, H]), tf.ones([N, 1])], 1);
  tf.transpose(tf.matMul(a, r)).dataSync();
}));
time('[h|1]T[257x6400] . dG[6400x1024]', () => tf.tidy(() => {
  const r = tf.transpose(tf.concat([tf.tensor2d(hp, [N, H]), tf.ones([N, 1])], 1));
  tf.matMul(r, tf.tensor2d(dG, [N, G])).dataSync();
}));
time('matMul(a,b,transposeA) h^T dG', () => tf.tidy(() => {
  tf.matMul(tf.tensor2d(hp, [N, H]), tf.tensor2d(dG, [N, G]), true, false).dataSync();
}));
import { stepSigmoidKernel } from '../../core/engine/ops/stepKernels.js';
const sg = stepSigmoidKernel(B * G), sc = stepSigmoidKernel(B * H);
time('sigmoid 100 x 65536 + 100 x 16384', () => { for (let t = 0; t < T; t++) { sg.input()[0] = t; sg.run(); sc.input()[0] = t; sc.run(); } });
const big = new Float32Array(N * G);
time('JS copy 6.5M floats (set)', () => { for (let t = 0; t < T; t++) big.set(dG.subarray(t * B * G, (t + 1) * B * G), t * B * G); });
time('tensor2d from 6.5M floats', () => { tf.tensor2d(dG, [N, G]).dispose(); });
