// Which kernels a training step runs, with their input shapes (to find a slow one).
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
import { BENCH_CONFIGS } from '../../main/engine/bench/configs.js';
import { oursStep } from '../../main/engine/bench/ours.js';
await selectBackend('wasm');
const r = oursStep(BENCH_CONFIGS[(process.argv[2] ?? 'lm-lstm') as 'lm-lstm']);
r.step();
const info = await tf.profile(() => { r.step(); });
for (const k of info.kernels) if (Number(k.kernelTimeMs) > 2) console.log(k.name, Number(k.kernelTimeMs).toFixed(1), JSON.stringify(k.inputShapes), JSON.stringify(k.outputShapes));
