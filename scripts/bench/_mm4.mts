import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
await selectBackend('wasm');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function time(label: string, n: number, f: () => void) { f(); const t0=cpu(); for(let i=0;i<n;i++) f(); console.log(label.padEnd(34), ((cpu()-t0)/n).toFixed(2),'ms cpu'); }
const N=6400, G=256, H=64, In=2;
const dGT = new Float32Array(G*N).map(()=>Math.random()); const hp = new Float32Array(N*H).map(()=>Math.random());
const x = tf.randomNormal([N, In]); const K = tf.randomNormal([In, G]);
time('proj [6400,2]x[2,256]', 10, () => tf.tidy(() => { tf.matMul(x as tf.Tensor2D, K as tf.Tensor2D).dataSync(); }));
time('kernelGrad [256,6400]x[6400,2]', 10, () => tf.tidy(() => { tf.transpose(tf.matMul(tf.tensor2d(dGT,[G,N]), x as tf.Tensor2D)).dataSync(); }));
time('dU [256,6400]x[6400,64]', 10, () => tf.tidy(() => { tf.transpose(tf.matMul(tf.tensor2d(dGT,[G,N]), tf.tensor2d(hp,[N,H]))).dataSync(); }));
time('dU alt [64,6400]x[6400,256]', 10, () => tf.tidy(() => { tf.matMul(tf.tensor2d(hp,[H,N]), tf.tensor2d(dGT,[N,G])).dataSync(); }));
time('tensor2d 1.6M + read', 10, () => tf.tidy(() => { tf.tensor2d(dGT,[G,N]).dataSync(); }));
