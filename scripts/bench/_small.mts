import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
import { lstmSequence } from '../../core/engine/ops/lstm.js';
await selectBackend((process.argv[2] ?? 'wasm') as 'wasm');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const B = 64, H = 64, G = 256;
const U = tf.randomNormal([H, G]) as tf.Tensor2D;
const hd = new Float32Array(B * H).map(() => Math.random());
for (let k = 0; k < 3; k++) {
  const t = cpu();
  for (let i = 0; i < 1000; i++) { const a = tf.tensor2d(hd, [B, H]); const o = tf.matMul(a, U); o.dataSync(); a.dispose(); o.dispose(); }
  console.log('step matmul [64,64]x[64,256] ms', ((cpu() - t) / 1000).toFixed(3));
}
const x = tf.randomNormal([64, 100, 2]) as tf.Tensor3D;
const K = tf.variable(tf.randomNormal([2, G])), Uv = tf.variable(tf.randomNormal([H, G], 0, 0.1)), b = tf.variable(tf.zeros([G]));
for (let k = 0; k < 3; k++) {
  const t = cpu();
  tf.tidy(() => { const { grads } = tf.variableGrads(() => tf.sum(lstmSequence(x, { kernel: K as tf.Tensor2D, recurrentKernel: Uv as tf.Tensor2D, bias: b as tf.Tensor1D }).h) as tf.Scalar); Object.values(grads).forEach((g) => g.dataSync()); });
  console.log('lstm fwd+bwd B64 T100 H64 ms', (cpu() - t).toFixed(1));
}
for (let k = 0; k < 3; k++) {
  const t = cpu();
  tf.tidy(() => { lstmSequence(x, { kernel: K as tf.Tensor2D, recurrentKernel: Uv as tf.Tensor2D, bias: b as tf.Tensor1D }).h.dataSync(); });
  console.log('lstm fwd only ms', (cpu() - t).toFixed(1));
}
