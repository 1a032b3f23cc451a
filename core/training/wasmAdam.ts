// One Adam (or AdamW) update of a weight on wasm in one pass (core/engine/wasm/adam.ts): m, v and the
// weight together, bit for bit what the tf ops of optimizers.ts give.
import * as tf from '@tensorflow/tfjs-core';
import { activeWasm } from '../engine/tfjsInternals.js';
import { wasmAdam, type AdamConstants } from '../engine/wasm/adam.js';

let disabled = false;
/** For tests: run the update as tf ops on wasm too, to compare the two. */
export function setWasmAdam(enabled: boolean): void {
  disabled = !enabled;
}

/**
 * The new m, v and weight of one Adam update, each shaped like the weight, or null where this path does
 * not run (another backend, no wasm SIMD, a tensor not in wasm memory): the caller then takes the tf ops.
 */
export function wasmAdamStep(
  w: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  c: AdamConstants,
): [tf.Tensor, tf.Tensor, tf.Tensor] | null {
  const wasm = disabled ? null : activeWasm();
  const update = wasm ? wasmAdam(wasm.memory()) : null;
  if (!wasm || !update) return null;
  const inputs = [w, g, m, v];
  if (inputs.some((t) => t.dtype !== 'float32' || t.size !== w.size || !wasm.slot(t))) return null;
  const out = [0, 1, 2].map(() => tf.engine().makeTensorFromTensorInfo(wasm.allocate(w.shape))) as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
  // Offsets after the allocations (which can move wasm memory, never a tensor's offset).
  const [sw, sg, sm, sv, mOut, vOut, wOut] = [...inputs, ...out].map((t) => wasm.slot(t)!.offset * 4);
  update(sw!, sg!, sm!, sv!, mOut!, vOut!, wOut!, w.size, c);
  return out;
}
