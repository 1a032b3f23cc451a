// The step's gradient passes on wasm (core/engine/wasm/gradientPasses.ts): each weight's sums of squares
// per gate and largest |entry| for the gradient report, and the data-parallel weighted sum of the shards'
// gradients. Null where they do not run (another backend, no wasm SIMD, a tensor not in wasm memory); the
// callers then take the tf ops.
import * as tf from '@tensorflow/tfjs-core';
import { activeWasm, type WasmAccess } from '../engine/tfjsInternals.js';
import { gradientPasses, type GradientPasses } from '../engine/wasm/gradientPasses.js';

let disabled = false;
/** For tests: take the tf ops on wasm too, to compare the two. */
export function setWasmGradientPasses(enabled: boolean): void {
  disabled = !enabled;
}

function passesFor(tensors: tf.Tensor[]): { wasm: WasmAccess; passes: GradientPasses } | null {
  const wasm = disabled ? null : activeWasm();
  const passes = wasm ? gradientPasses(wasm.memory()) : null;
  if (!wasm || !passes) return null;
  if (tensors.some((t) => t.dtype !== 'float32' || !wasm.slot(t))) return null;
  return { wasm, passes };
}

/** One weight's gradient figures: sum of squares per gate (one entry when not gated) and largest |entry|. */
export interface GradientSquares {
  gates: number[];
  maxAbs: number;
}

/**
 * Each gradient's sums of squares over `gates` equal parts of its last axis (1: the whole) and largest
 * |entry|, in one pass per gradient. A gradient that is not cut into gates is summed in runs of its last
 * axis (at least 64 values), each run's float32 lanes added into a float64 total.
 */
export function wasmGradientSquares(items: { grad: tf.Tensor; gates: number }[]): GradientSquares[] | null {
  const ready = items.length > 0 ? passesFor(items.map((i) => i.grad)) : null;
  if (!ready) return null;
  const { wasm, passes } = ready;
  const slots = items.reduce((n, i) => n + i.gates + 1, 0);
  // Float64 results: one spare float32 so the first can start on 8 bytes.
  const scratch = tf.engine().makeTensorFromTensorInfo(wasm.allocate([2 * slots + 1]));
  try {
    const raw = wasm.slot(scratch)!.offset * 4;
    const out = raw % 8 === 0 ? raw : raw + 4;
    new Float64Array(wasm.memory().buffer, out, slots).fill(0);
    let cursor = 0;
    for (const { grad, gates } of items) {
      const last = grad.shape[grad.shape.length - 1] ?? 1;
      const length = gates > 1 ? last / gates : last >= 64 ? last : grad.size;
      passes.squares(wasm.slot(grad)!.offset * 4, grad.size / length, length, gates, out + 8 * cursor);
      cursor += gates + 1;
    }
    const values = new Float64Array(wasm.memory().buffer, out, slots);
    cursor = 0;
    return items.map(({ gates }) => {
      const result = {
        gates: Array.from(values.subarray(cursor, cursor + gates)),
        maxAbs: values[cursor + gates]!,
      };
      cursor += gates + 1;
      return result;
    });
  } finally {
    scratch.dispose();
  }
}

/**
 * local·localShare + Σ theirs_k·share_k for one weight, the helpers' gradients read from their shared
 * buffers: bit for bit tf.mul and tf.add in the same order, in one pass per helper.
 */
export function wasmWeightedSum(
  local: tf.Tensor,
  localShare: number,
  remote: { values: Float32Array; share: number }[],
): tf.Tensor | null {
  const ready = remote.length > 0 ? passesFor([local]) : null;
  if (!ready) return null;
  const { wasm, passes } = ready;
  const out = tf.engine().makeTensorFromTensorInfo(wasm.allocate(local.shape));
  let x = local;
  let a = localShare;
  for (const r of remote) {
    // A copy into wasm memory; the kernel reads it right away, before any helper writes its buffer again.
    const theirs = tf.tensor(r.values, local.shape, 'float32');
    const [sx, sy, so] = [x, theirs, out].map((t) => wasm.slot(t)!.offset * 4);
    passes.scaleAdd(sx!, a, sy!, r.share, so!, local.size);
    theirs.dispose();
    x = out;
    a = 1;
  }
  return out;
}
