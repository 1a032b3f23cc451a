// Matrix products with a batch axis, [B,M,K]·[B,K,N] (attention's scores and context, and their
// gradients), with a gradient made of the same products.
//
// Why: tfjs-wasm sends a product with a batch axis or a transpose flag to a plain scalar loop (about
// 1 GMAC/s), not to XNNPACK; at s2s-attn's sizes (B64, T12, S30, H128) each of attention's six products
// per training step took 2.6–3.9 ms. On wasm this runs one XNNPACK product per batch row instead, on
// tensor ids that alias the rows in place (no copies), with transposes done first by the backend's
// Transpose kernel (on the smaller operand where the algebra allows). Where relaxed SIMD runs, the
// engine's own kernel takes every row instead, transposed operands packed as they lie (ownMatMul.ts).
// Other backends take tf.matMul.
import * as tf from '@tensorflow/tfjs-core';
import { activeWasm, type WasmAccess } from '../tfjsInternals.js';
import { ownBatchedMatMul } from './ownMatMul.js';

const shapeBytes = (shape: number[]) => new Uint8Array(new Int32Array(shape).buffer);

// XNNPACK packs each row's right operand before multiplying, a cost of its own (about 5–8 ns a value),
// so it pays off only with enough rows on the left and work per row. Measured on wasm, 64 batch rows:
// 12×128·128×30 took 1.8 ms against 2.7 ms in the plain loop; 1×128·128×30 (one decoding step) 0.9 ms
// against 0.24 ms; 12×16·16×30 and 8×32·32×32 still won, 4×64·64×32 and 2×128·128×30 lost.
const MIN_LEFT_ROWS = 8;
const MIN_ROW_WORK = 8192;
const worthIt = (m: number, k: number, n: number) => m >= MIN_LEFT_ROWS && m * k * n >= MIN_ROW_WORK;
const swapLast = (t: tf.Tensor3D) => tf.transpose(t, [0, 2, 1]);

/** a [R,M,K]·b [R,K,N] as R XNNPACK products; null when an operand's data is not in wasm memory. */
function perRow(wasm: WasmAccess, a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D | null {
  const [rows, m, k] = a.shape;
  const n = b.shape[2];
  const sa = wasm.slot(a);
  const sb = wasm.slot(b);
  if (!sa || !sb || m * k * n === 0) return null;
  const info = wasm.allocate([rows, m, n]);
  const so = wasm.slotOf(info)!;
  const aShape = shapeBytes([1, m, k]);
  const bShape = shapeBytes([1, k, n]);
  for (let r = 0; r < rows; r++) {
    const ia = wasm.alias(sa.offset + r * m * k, m * k);
    const ib = wasm.alias(sb.offset + r * k * n, k * n);
    const io = wasm.alias(so.offset + r * m * n, m * n);
    wasm.batchMatMul(ia, aShape, 3, ib, bShape, 3, 0, 0, io);
    wasm.release(ia);
    wasm.release(ib);
    wasm.release(io);
  }
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor3D;
}

/**
 * The product without a gradient: on wasm, the engine's own kernel row by row where relaxed SIMD runs
 * (ownMatMul.ts), else per-row XNNPACK where it pays; tf.matMul elsewhere.
 */
function product(a: tf.Tensor3D, b: tf.Tensor3D, ta: boolean, tb: boolean): tf.Tensor3D {
  const own = ownBatchedMatMul(a, b, ta, tb);
  if (own) return own;
  const wasm = activeWasm();
  if (!wasm) return tf.matMul(a, b, ta, tb);
  const m = ta ? a.shape[2] : a.shape[1];
  const k = ta ? a.shape[1] : a.shape[2];
  const n = tb ? b.shape[1] : b.shape[2];
  // a·bᵀ = (b·aᵀ)ᵀ: transpose a and the result instead of b when they are smaller (scores are [B,T,S]
  // with T, S ≪ H, so this moves a query-sized tensor instead of a memory-sized one).
  const swapped = tb && !ta && m * k + m * n < n * k && worthIt(n, k, m);
  if (!swapped && !worthIt(m, k, n)) return tf.matMul(a, b, ta, tb);
  return tf.tidy(() => {
    if (swapped) {
      const r = perRow(wasm, b, swapLast(a));
      if (r) return swapLast(r);
    }
    return perRow(wasm, ta ? swapLast(a) : a, tb ? swapLast(b) : b) ?? tf.matMul(a, b, ta, tb);
  });
}

function checkShapes(a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean): void {
  if (a.rank !== 3 || b.rank !== 3) {
    throw new Error(`batched product: operands must be 3-D, got [${a.shape}] and [${b.shape}]`);
  }
  const inner = ta ? a.shape[1] : a.shape[2];
  const other = tb ? b.shape[2] : b.shape[1];
  if (a.shape[0] !== b.shape[0] || inner !== other) {
    throw new Error(
      `batched product: [${a.shape}]${ta ? 'ᵀ' : ''} · [${b.shape}]${tb ? 'ᵀ' : ''} do not fit ` +
        '(batch sizes and inner sizes must agree)',
    );
  }
}

type Saved = [tf.Tensor3D, tf.Tensor3D];
const ops = new Map<string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor>();

function opFor(ta: boolean, tb: boolean): (a: tf.Tensor, b: tf.Tensor) => tf.Tensor {
  const key = `${ta}${tb}`;
  let op = ops.get(key);
  if (!op) {
    op = tf.customGrad((a, b, save) => {
      (save as (ts: tf.Tensor[]) => void)([a as tf.Tensor, b as tf.Tensor]);
      return {
        value: product(a as tf.Tensor3D, b as tf.Tensor3D, ta, tb),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [x, y] = saved as Saved;
          const g = dy as tf.Tensor3D;
          // The gradients of y = op(x)·op(y), as tfjs's BatchMatMul gradient takes them.
          if (!ta && !tb) return [product(g, y, false, true), product(x, g, true, false)];
          if (!ta && tb) return [product(g, y, false, false), product(g, x, true, false)];
          if (ta && !tb) return [product(y, g, false, true), product(x, g, false, false)];
          return [product(y, g, true, true), product(g, x, true, true)];
        },
      };
    }) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
    ops.set(key, op);
  }
  return op;
}

/**
 * a·b for each batch row: a [B,M,K] (or [B,K,M] with `transposeA`), b [B,K,N] (or [B,N,K] with
 * `transposeB`) → [B,M,N]. Same values and gradients as tf.matMul with the same flags.
 */
export function batchedMatMul(
  a: tf.Tensor3D,
  b: tf.Tensor3D,
  transposeA = false,
  transposeB = false,
): tf.Tensor3D {
  checkShapes(a, b, transposeA, transposeB);
  return opFor(transposeA, transposeB)(a, b) as tf.Tensor3D;
}
