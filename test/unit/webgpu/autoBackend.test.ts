// `auto` timing wasm against webgpu with the real engine's model (the adding template's LSTM, 8 units,
// B4 T5), the webgpu rung forced onto whatever adapter is here (SwiftShader without a GPU; auto itself
// passes a software adapter by). The line says both figures and names the adapter when webgpu wins; the
// rung kept is tfjs's backend; the initial weights are back; tf.memory() is as before. Which rung wins is
// not asserted: it is what the timing found.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { TrainingConfigSchema } from '../../../core/training/config.js';
import { chooseFastestRung, type Rung, trainingTrial } from '../../../main/engine/autoBackend.js';
import { selectBackend, startRung } from '../../../main/engine/backend.js';
import { createWorkload } from '../../fixtures/training/engineWorkload.js';
import { gpu } from './gpuSetup.js';

describe('auto timing wasm and webgpu', () => {
  it.skipIf(!gpu.ready)(`keeps the faster, says both figures, frees what it made ${gpu.reason}`, async () => {
    const rungs: Rung[] = [
      { name: 'webgpu', start: () => selectBackend('webgpu') },
      { name: 'wasm', start: () => startRung('wasm') },
    ];
    await selectBackend('wasm');
    const workload = createWorkload({});
    const config = TrainingConfigSchema.parse(workload.config);
    const initial = workload.model.weights.map((w) => Array.from(w.variable.dataSync()));
    const before = tf.memory();
    const { trial, restore } = await trainingTrial(workload.model, workload.data, config);
    const chosen = await chooseFastestRung(rungs, trial);
    restore();
    console.log(`auto on the adding template (LSTM 8 units, B4 T5): ${chosen.label}`);
    const figure = '([\\d.]+) ms/step';
    const adapter = gpu.adapter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const line = new RegExp(
      `^(?:wasm \\(auto: wasm ${figure}; webgpu ${figure}\\)|` +
        `webgpu \\(${adapter}; auto: webgpu ${figure}; wasm ${figure}\\))$`,
    );
    const found = line.exec(chosen.label);
    expect(chosen.label).toMatch(line);
    const [fast, slow] = (found![1] ? [found![1], found![2]] : [found![3], found![4]]).map(Number);
    expect(fast).toBeLessThanOrEqual(slow!);
    expect(tf.getBackend()).toBe(chosen.name);
    const weights = await Promise.all(workload.model.weights.map((w) => w.variable.data()));
    expect(weights.map((w) => Array.from(w))).toEqual(initial);
    const after = tf.memory();
    expect([after.numTensors, after.numBytes]).toEqual([before.numTensors, before.numBytes]);
    workload.model.dispose();
  });
});
