// Per-kernel time of one training step (tf.profile), to see where a config's step goes.
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
import { BENCH_CONFIGS } from '../../main/engine/bench/configs.js';
import { oursStep } from '../../main/engine/bench/ours.js';
await selectBackend('wasm');
const r = oursStep(BENCH_CONFIGS[(process.argv[2] ?? 'lm-lstm') as 'lm-lstm']);
r.step();
const info = await tf.profile(() => { r.step(); });
const by = new Map<string, { ms: number; n: number }>();
for (const k of info.kernels) { const e = by.get(k.name) ?? { ms: 0, n: 0 }; e.ms += Number(k.kernelTimeMs); e.n++; by.set(k.name, e); }
const rows = [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20);
for (const [name, e] of rows) console.log(name.padEnd(24), e.ms.toFixed(1).padStart(8), 'ms', String(e.n).padStart(5), 'calls');
console.log('kernels total', info.kernels.reduce((s, k) => s + Number(k.kernelTimeMs), 0).toFixed(0), 'ms');
