// The webgpu rung: Dawn's Node bindings (npm `webgpu`, a prebuilt N-API `dawn.node` per platform) give
// Node a `navigator.gpu`, and tfjs-backend-webgpu runs on it. One API reaches Metal (macOS), Direct3D 12
// (Windows) and Vulkan (Linux): every desktop GPU, no CUDA.
//
// Dawn also offers software adapters (SwiftShader, a CPU emulation of Vulkan): correct but slower than
// the CPU rungs, so `auto` passes them by and only `--backend webgpu` takes one. On Linux without a driver
// Dawn accepts, the rung falls back to Chromium's SwiftShader by itself (softwareVulkan.ts).
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useSoftwareVulkan } from './softwareVulkan.js';

/** The parts of a WebGPU adapter we read (`GPUAdapter.info`). */
interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: AdapterInfo } | null>;
}

export interface WebGpuAdapter {
  /** e.g. `google swiftshader, vulkan` or `apple metal-3, metal`. */
  name: string;
  /** A software (CPU-emulated) adapter such as SwiftShader. */
  fallback: boolean;
}

/** The graphics API Dawn drives on this platform. */
function graphicsApi(): string {
  if (process.platform === 'darwin') return 'metal';
  if (process.platform === 'win32') return 'd3d12';
  return 'vulkan';
}

export function adapterName(info: AdapterInfo): string {
  const parts = [info.vendor, info.architecture].filter((p) => p && p.length > 0);
  const gpu = parts.length > 0 ? parts.join(' ') : info.description || info.device || 'unknown adapter';
  return `${gpu}, ${graphicsApi()}`;
}

let gpu: Promise<Gpu> | null = null;

/**
 * Dawn's `navigator.gpu`, made once per process (anew after the Vulkan drivers changed). Dawn warns on
 * every start when XDG_RUNTIME_DIR is unset (headless machines, services): give it a private folder
 * under the temp directory.
 */
function dawn(): Promise<Gpu> {
  gpu ??= (async () => {
    if (!process.env.XDG_RUNTIME_DIR) {
      const dir = path.join(os.tmpdir(), `rnn-studio-runtime-${process.getuid?.() ?? 'user'}`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      process.env.XDG_RUNTIME_DIR = dir;
    }
    const pkg = 'webgpu'; // a variable: bundlers leave the native binding to Node
    const { create, globals } = (await import(/* @vite-ignore */ pkg)) as {
      create(flags: string[]): Gpu;
      globals: Record<string, unknown>;
    };
    Object.assign(globalThis, globals); // GPUBufferUsage, GPUMapMode, … which tfjs reads as globals
    const navigatorGpu = create([]);
    // Node ≥ 21 has a read-only `navigator` getter: replace the property, keeping what it offered.
    const previous = (globalThis as { navigator?: object }).navigator;
    Object.defineProperty(globalThis, 'navigator', {
      value: Object.assign(Object.create(previous ?? null) as object, { gpu: navigatorGpu }),
      configurable: true,
      writable: true,
    });
    return navigatorGpu;
  })();
  return gpu;
}

/**
 * The adapter Dawn offers for compute, or null when there is none (no driver Dawn accepts). When the
 * system's drivers offer none, tries Chromium's SwiftShader once (Linux), with a new Dawn instance that
 * tfjs then uses.
 */
export async function findWebGpuAdapter(): Promise<WebGpuAdapter | null> {
  let adapter = await (await dawn()).requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter && useSoftwareVulkan()) {
    gpu = null;
    adapter = await (await dawn()).requestAdapter({ powerPreference: 'high-performance' });
  }
  if (!adapter) return null;
  const info = adapter.info ?? {};
  return { name: adapterName(info), fallback: info.isFallbackAdapter === true };
}

/** Why there is no adapter, with the way out on Linux machines without a GPU driver. */
export function noAdapterReason(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform !== 'linux') return 'no WebGPU adapter';
  const named = env.VK_ICD_FILENAMES;
  if (named)
    return (
      `no WebGPU adapter: Dawn accepts no Vulkan driver that VK_ICD_FILENAMES names (${named}); ` +
      'is the Vulkan loader (libvulkan1) installed?'
    );
  return (
    'no WebGPU adapter: no Vulkan driver Dawn accepts; without a GPU, installing chromium and libvulkan1 ' +
    "gives a slow software one (Chromium's SwiftShader, found by itself)"
  );
}

/**
 * Starts tfjs on WebGPU. `allowSoftware` false (auto): a software adapter is refused with a line saying
 * so. Returns the description for the run's backend line, e.g. `webgpu (google swiftshader, vulkan)`.
 */
export async function startWebGpu(allowSoftware: boolean): Promise<{ description: string; adapter: string }> {
  const adapter = await findWebGpuAdapter();
  if (!adapter) throw new Error(noAdapterReason());
  if (adapter.fallback && !allowSoftware)
    throw new Error(
      `only a software adapter (${adapter.name}), slower than the CPU rungs; --backend webgpu uses it anyway`,
    );
  // tfjs-backend-webgpu registers itself on import only when navigator.gpu exists: import it after dawn().
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs did not accept the webgpu backend');
  return { description: `webgpu (${adapter.name})`, adapter: adapter.name };
}
