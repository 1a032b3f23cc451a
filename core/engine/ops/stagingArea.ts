// A staging area in wasm memory for the fused ops' per-step gate kernels (gruOnWasm.ts, lstmOnWasm.ts):
// one tensor cut into named parts, by float offset. Offsets stay valid when the memory grows; views do not.
import * as tf from '@tensorflow/tfjs-core';
import type { WasmAccess } from '../tfjsInternals.js';

export interface StagingArea<K extends string> {
  /** Float offset of each part in wasm memory (a byte address is 4 times it). */
  at: Record<K, number>;
  dispose(): void;
}

/**
 * Parts of the given sizes (floats), in order. The kernels load four floats at a time, so a part whose
 * size is not a multiple of 4 (a step's mask, one value per row) goes last.
 */
export function staging<K extends string>(wasm: WasmAccess, sizes: Record<K, number>): StagingArea<K> {
  const parts = Object.entries(sizes) as [K, number][];
  const total = parts.reduce((n, [, size]) => n + size, 0);
  const t = tf.zeros([total]);
  const slot = wasm.slot(t);
  if (!slot) {
    t.dispose();
    throw new Error('internal: a staging tensor is not in wasm memory');
  }
  const at = {} as Record<K, number>;
  let next = slot.offset;
  for (const [name, size] of parts) {
    at[name] = next;
    next += size;
  }
  return { at, dispose: () => t.dispose() };
}

/** Step t's mask values (mask [B,T]) into `heap` at float `at`; the kernels' mask address (0: none). */
export function stageMask(
  heap: Float32Array,
  mask: Float32Array | null,
  B: number,
  T: number,
  t: number,
  at: number,
): number {
  if (!mask) return 0;
  for (let b = 0; b < B; b++) heap[at + b] = mask[b * T + t]!;
  return at * 4;
}
