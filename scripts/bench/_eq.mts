import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
await selectBackend('wasm');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const a = tf.randomUniform([6400, 65]); const labels = tf.tensor1d(new Int32Array(6400), 'int32');
for (let k = 0; k < 3; k++) {
  let t = cpu(); const am = tf.argMax(a, 1); am.dataSync(); const t1 = cpu() - t;
  t = cpu(); const e = tf.equal(am, labels); e.dataSync(); const t2 = cpu() - t;
  t = cpu(); const c = tf.cast(e, 'float32'); c.dataSync(); const t3 = cpu() - t;
  console.log('argMax', t1.toFixed(1), 'equal', t2.toFixed(1), 'cast', t3.toFixed(1), am.dtype, labels.dtype);
}
