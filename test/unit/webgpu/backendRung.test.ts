// The webgpu rung: forced with `--backend webgpu` it runs on whatever adapter Dawn offers (here SwiftShader)
// and names it in the backend line; `auto` passes a software adapter by, with one line saying why.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/backend.js';
import { findWebGpuAdapter } from '../../../main/engine/webgpu.js';
import { gpu } from './gpuSetup.js';

describe('webgpu rung', () => {
  it.skipIf(!gpu.ready)(`forced, it computes on the adapter and names it ${gpu.reason}`, async () => {
    const report = await selectBackend('webgpu');
    expect(report.name).toBe('webgpu');
    expect(report.tfjsBackend).toBe('webgpu');
    expect(report.label).toBe(`webgpu (${report.adapter})`);
    expect(report.label).toMatch(/^webgpu \(.+, (vulkan|metal|d3d12)\)$/);
    const product = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
    expect(Array.from(await product.data())).toEqual([19, 22, 43, 50]);
    product.dispose();
  });

  it.skipIf(!gpu.ready)(`auto takes it only on a hardware adapter ${gpu.reason}`, async () => {
    const adapter = (await findWebGpuAdapter())!;
    const lines: string[] = [];
    const report = await selectBackend('auto', (l) => lines.push(l));
    if (adapter.fallback) {
      expect(report.name).not.toBe('webgpu');
      expect(lines[0]).toBe(
        `backend webgpu unavailable (only a software adapter (${adapter.name}), slower than the CPU rungs; ` +
          '--backend webgpu uses it anyway); trying the next one',
      );
    } else {
      expect(report.name).toBe('webgpu');
      expect(lines).toEqual([]);
    }
    await selectBackend('webgpu');
  });
});
