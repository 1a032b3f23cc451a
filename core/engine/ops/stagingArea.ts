// What the fused ops' per-step gate kernels on wasm (gruOnWasm.ts, lstmOnWasm.ts) share: finding the
// kernels for the backend's memory, and a staging area in that memory (one tensor cut into named parts,
// by float offset; offsets stay valid when the memory grows, views do not).
import { unwrittenTensor, type WasmAccess } from '../tfjsInternals.js';
import type { WasmMemory } from '../wasm/api.js';
import { fitsGateKernels } from '../wasm/gateLoops.js';
import { wasmBackend } from './stepKernels.js';

/** A cell's gate kernels bound to the wasm backend's memory, and the backend. */
export interface GateKernelsOnWasm<K> {
  wasm: WasmAccess;
  kernels: K;
}

/**
 * The gate kernels `bind` gives for the wasm backend's memory, when the fast path runs on wasm and the
 * kernels take H units; else null (the cell's JS loops run).
 */
export function gateKernelsOnWasm<K>(
  H: number,
  bind: (memory: WasmMemory) => K | null,
): GateKernelsOnWasm<K> | null {
  const wasm = wasmBackend();
  if (!wasm || !fitsGateKernels(H)) return null;
  const kernels = bind(wasm.memory());
  return kernels ? { wasm, kernels } : null;
}

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
  // Every part is written before it is read (each loop's contract), so no zeros are made and uploaded.
  const t = unwrittenTensor([total]);
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
