import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
await selectBackend('wasm');
const which = process.argv[2];
const B=64,H=256,G=1024,N=6400;
const U = tf.randomNormal([H,G]) as tf.Tensor2D;
const hd = new Float32Array(B*H).map(()=>Math.random());
const dG = new Float32Array(N*G).map(()=>Math.random());
const hp = new Float32Array(N*H).map(()=>Math.random());
for (let i=0;i<(which==='step'?300:5);i++) tf.tidy(() => {
  if (which==='step') tf.matMul(tf.tensor2d(hd,[B,H]), U).dataSync();
  if (which==='transpose') tf.transpose(tf.tensor2d(dG,[N,G])).dataSync();
  if (which==='big') tf.matMul(tf.tensor2d(dG,[G,N]), tf.tensor2d(hp,[N,H])).dataSync();
});
