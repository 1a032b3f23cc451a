// Is the wasm backend's sigmoid (XNNPACK) cheaper than JS Math.exp per element, round trip included?
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
await selectBackend('wasm');
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (const n of [32 * 512, 64 * 1024]) {
  const z = new Float32Array(n).map(() => Math.random() * 4 - 2);
  const o = new Float32Array(n);
  for (let k = 0; k < 3; k++) {
    let t = cpu();
    for (let r = 0; r < 200; r++) {
      const a = tf.tensor1d(z);
      const s = tf.sigmoid(a);
      o.set(s.dataSync());
      a.dispose();
      s.dispose();
    }
    const w = (cpu() - t) / 200;
    t = cpu();
    for (let r = 0; r < 200; r++) for (let i = 0; i < n; i++) o[i] = 1 / (1 + Math.exp(-z[i]!));
    const j = (cpu() - t) / 200;
    console.log(n, 'wasm sigmoid round trip', w.toFixed(3), 'ms; JS', j.toFixed(3), 'ms');
  }
}
