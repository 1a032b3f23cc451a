// Adam update cost on the tag-bilstm weight set: tfjs's optimizer, the studio's (tf ops), a fused JS loop.
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
import { Optimizer } from '../../core/training/optimizers.js';
await selectBackend(process.argv[2] ?? 'wasm');
const shapes = [[5000, 100], [100, 512], [128, 512], [512], [100, 512], [128, 512], [512], [256, 20], [20]];
const vars = shapes.map((s, i) => tf.variable(tf.randomNormal(s), true, `w${i}`));
const grads = Object.fromEntries(vars.map((v) => [v.name, tf.randomNormal(v.shape)]));
const time = (label: string, f: () => void) => { f(); f(); const t = performance.now(); for (let i = 0; i < 20; i++) f(); console.log(label, ((performance.now() - t) / 20).toFixed(2), 'ms'); };
const tfAdam = tf.train.adam(1e-3);
time('tf.train.adam', () => tfAdam.applyGradients(grads));
const ours = new Optimizer({ kind: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, momentum: 0, nesterov: false } as never);
const named = vars.map((v) => ({ name: v.name, node: 'n', variable: v }));
time('studio Optimizer', () => ours.apply(named, grads, 1e-3));
const m = vars.map((v) => new Float32Array(v.size)); const vv = vars.map((v) => new Float32Array(v.size));
let step = 0;
time('fused JS', () => {
  step++;
  const b1 = 0.9, b2 = 0.999, c1 = 1 - b1 ** step, c2 = 1 - b2 ** step, lr = 1e-3;
  vars.forEach((w, k) => {
    const g = grads[w.name]!.dataSync() as Float32Array;
    const x = (w.dataSync() as Float32Array).slice();
    const mk = m[k]!, vk = vv[k]!;
    for (let i = 0; i < x.length; i++) {
      const gi = g[i]!;
      const mi = (mk[i] = b1 * mk[i]! + (1 - b1) * gi);
      const vi = (vk[i] = b2 * vk[i]! + (1 - b2) * gi * gi);
      x[i] = x[i]! - lr * (mi / c1) / (Math.sqrt(vi / c2) + 1e-8);
    }
    w.assign(tf.tensor(x, w.shape));
  });
});
console.log('tensors', tf.memory().numTensors);
