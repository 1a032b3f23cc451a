import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
import { lstmSequence } from '../../core/engine/ops/lstm.js';
await selectBackend((process.argv[2] as 'wasm') ?? 'wasm', console.log);
const B=64,T=100,V=65,H=256;
const x = tf.cast(tf.oneHot(tf.randomUniform([B,T],0,V,'int32') as tf.Tensor2D, V),'float32') as tf.Tensor3D;
const k = tf.variable(tf.randomNormal([V,4*H],0,0.1)), u = tf.variable(tf.randomNormal([H,4*H],0,0.05)), b = tf.variable(tf.zeros([4*H]));
const wo = tf.variable(tf.randomNormal([H,V],0,0.1));
const step = () => tf.tidy(() => {
  const { grads } = tf.variableGrads(() => {
    const r = lstmSequence(x, { kernel: k as tf.Tensor2D, recurrentKernel: u as tf.Tensor2D, bias: b as tf.Tensor1D });
    const logits = tf.matMul(tf.reshape(r.sequence, [B*T,H]), wo);
    return tf.mean(tf.square(logits)) as tf.Scalar;
  });
  for (const g of Object.values(grads)) g.dataSync();
});
step();
const c0=process.cpuUsage(); const t0 = performance.now(); for (let i=0;i<3;i++) step(); const dt=(performance.now()-t0)/3; const cu=process.cpuUsage(c0); console.log('cpu ms/step', ((cu.user+cu.system)/3000).toFixed(0));
console.log('ms/step', dt.toFixed(0), 'tokens/s', (B*T/dt*1000).toFixed(0), 'tensors', tf.memory().numTensors);
{
  const t1 = performance.now(); const c1=process.cpuUsage();
  for (let i=0;i<3;i++) tf.tidy(() => { const r = lstmSequence(x, { kernel: k as tf.Tensor2D, recurrentKernel: u as tf.Tensor2D, bias: b as tf.Tensor1D }); r.sequence.dataSync(); });
  const cu=process.cpuUsage(c1); console.log('forward only ms', ((performance.now()-t1)/3).toFixed(0), 'cpu', ((cu.user+cu.system)/3000).toFixed(0));
}
