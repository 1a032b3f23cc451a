// Which path the fused recurrent ops take. The host path (time loop in JS over wasm memory) is the fast
// CPU path; on a device backend every host read is a round trip that stalls the queue, so the device
// path (plain tfjs ops, nothing read back) serves webgpu and the tensorflow rungs (tfjs-node's backend is
// named `tensorflow` with or without CUDA).
import * as tf from '@tensorflow/tfjs-core';

const DEVICE_BACKENDS = new Set(['webgpu', 'tensorflow']);
let forced: boolean | null = null;

export function usesDevicePath(): boolean {
  return forced ?? DEVICE_BACKENDS.has(tf.getBackend());
}

/** For tests: run the device path on any backend (true), never (false), or by backend (null). */
export function setDevicePath(force: boolean | null): void {
  forced = force;
}
