import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
await selectBackend('wasm');
function time(label: string, n: number, f: () => void) { f(); const t0=performance.now(); for(let i=0;i<n;i++) f(); console.log(label, ((performance.now()-t0)/n).toFixed(2),'ms'); }
const B=64,H=256,G=1024,N=6400;
const U = tf.randomNormal([H,G]); const UT = tf.randomNormal([G,H]);
const hd = new Float32Array(B*H).map(()=>Math.random()); const gd = new Float32Array(B*G).map(()=>Math.random());
time('same b  [64,256]x[256,1024]', 30, () => tf.tidy(() => { tf.matMul(tf.tensor2d(hd,[B,H]), U as tf.Tensor2D).dataSync(); }));
time('fresh b [64,256]x[256,1024]', 30, () => tf.tidy(() => { const u2 = tf.tensor2d(U.dataSync() as Float32Array,[H,G]); tf.matMul(tf.tensor2d(hd,[B,H]), u2).dataSync(); }));
time('same b  [64,1024]x[1024,256]', 30, () => tf.tidy(() => { tf.matMul(tf.tensor2d(gd,[B,G]), UT as tf.Tensor2D).dataSync(); }));
time('transB  [64,1024]x[256,1024]^T', 30, () => tf.tidy(() => { tf.matMul(tf.tensor2d(gd,[B,G]), U as tf.Tensor2D, false, true).dataSync(); }));
const hT = new Float32Array(H*N).map(()=>Math.random()); const dG = new Float32Array(N*G).map(()=>Math.random());
time('dU [256,6400]x[6400,1024] fresh', 3, () => tf.tidy(() => { tf.matMul(tf.tensor2d(hT,[H,N]), tf.tensor2d(dG,[N,G])).dataSync(); }));
time('dU^T [1024,6400]x[6400,256]', 3, () => tf.tidy(() => { tf.matMul(tf.tensor2d(dG,[G,N]), tf.tensor2d(hT,[N,H])).dataSync(); }));
time('transpose [6400,1024]', 3, () => tf.tidy(() => { tf.transpose(tf.tensor2d(dG,[N,G])).dataSync(); }));
time('tensor write+read 6.5M', 3, () => tf.tidy(() => { tf.tensor2d(dG,[N,G]).dataSync(); }));
