import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
await selectBackend('wasm');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function time(label: string, n: number, f: () => void) { f(); const t0=cpu(); for(let i=0;i<n;i++) f(); console.log(label, ((cpu()-t0)/n).toFixed(2),'ms cpu'); }
const h = tf.randomNormal([6400,256]), W = tf.randomNormal([256,65]), dy = tf.randomNormal([6400,65]);
time('fwd h·W', 5, () => tf.tidy(() => { tf.matMul(h as tf.Tensor2D, W as tf.Tensor2D).dataSync(); }));
time('dA flag dy·W^T', 5, () => tf.tidy(() => { tf.matMul(dy as tf.Tensor2D, W as tf.Tensor2D, false, true).dataSync(); }));
time('dA explicit', 5, () => tf.tidy(() => { tf.matMul(dy as tf.Tensor2D, tf.transpose(W) as tf.Tensor2D).dataSync(); }));
time('dB flag h^T·dy', 5, () => tf.tidy(() => { tf.matMul(h as tf.Tensor2D, dy as tf.Tensor2D, true, false).dataSync(); }));
time('dB explicit h^T·dy', 5, () => tf.tidy(() => { tf.matMul(tf.transpose(h) as tf.Tensor2D, dy as tf.Tensor2D).dataSync(); }));
time('dB explicit (dy^T·h)^T', 5, () => tf.tidy(() => { tf.transpose(tf.matMul(tf.transpose(dy) as tf.Tensor2D, h as tf.Tensor2D)).dataSync(); }));
time('oneHot 6400x65', 5, () => tf.tidy(() => { tf.oneHot(tf.zeros([6400],'int32') as tf.Tensor1D, 65).dataSync(); }));
time('softmax 6400x65', 5, () => tf.tidy(() => { tf.softmax(dy).dataSync(); }));
time('logSumExp', 5, () => tf.tidy(() => { tf.logSumExp(dy, 1).dataSync(); }));
