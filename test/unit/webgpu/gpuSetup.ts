// Puts tfjs on WebGPU for the webgpu test files, on whatever adapter Dawn offers: here (no GPU) the
// SwiftShader Vulkan driver that Debian's chromium ships, which the engine's webgpu rung finds itself when
// the system's drivers offer no adapter (main/engine/softwareVulkan.ts; it also gives Dawn an
// XDG_RUNTIME_DIR). Where no adapter at all can be had, `gpu.ready` is false and `gpu.reason` says why:
// the tests skip with that reason printed.
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../main/engine/backend.js';

async function start(): Promise<{ ready: boolean; reason: string; adapter: string }> {
  const report = await selectBackend('webgpu');
  if (report.name === 'webgpu') return { ready: true, reason: '', adapter: report.adapter ?? '' };
  const reason = `no WebGPU adapter here (${report.fallbacks.join('; ')}): webgpu tests skipped`;
  console.warn(reason);
  return { ready: false, reason, adapter: '' };
}

export const gpu = await start();

/** Back on webgpu (a test may have switched to compare with another backend). */
export async function onWebGpu(): Promise<void> {
  if (tf.getBackend() !== 'webgpu') await tf.setBackend('webgpu');
}
