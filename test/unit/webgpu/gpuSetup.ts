// Puts tfjs on WebGPU for the webgpu test files, on whatever adapter Dawn offers: here (no GPU) the
// SwiftShader Vulkan driver that Debian's chromium ships. Finds its ICD file itself when VK_ICD_FILENAMES
// is not set (the known path, else `dpkg -L`), and gives Dawn an XDG_RUNTIME_DIR. Where no adapter at all
// can be had, `gpu.ready` is false and `gpu.reason` says why: the tests skip with that reason printed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../main/engine/backend.js';

const KNOWN_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

function swiftShaderIcd(): string | null {
  if (existsSync(KNOWN_ICD)) return KNOWN_ICD;
  for (const pkg of ['chromium-common', 'chromium']) {
    try {
      const files = execFileSync('dpkg', ['-L', pkg], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const icd = files.split('\n').find((f) => f.endsWith('vk_swiftshader_icd.json'));
      if (icd) return icd;
    } catch {
      // not a Debian system, or the package is not installed
    }
  }
  return null;
}

if (process.platform === 'linux' && !process.env.VK_ICD_FILENAMES) {
  const icd = swiftShaderIcd();
  if (icd) process.env.VK_ICD_FILENAMES = icd;
}
if (!process.env.XDG_RUNTIME_DIR) {
  const dir = path.join(os.tmpdir(), `rnn-studio-test-runtime-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env.XDG_RUNTIME_DIR = dir;
}

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
