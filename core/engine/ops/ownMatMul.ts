// a·b with either operand transposed, on the engine's own wasm kernel (core/engine/wasm/gemm.ts), for the
// large products around the recurrent loops (the input projection x·W and its gradients, the dense
// heads' products and theirs) and, one batch row at a time, attention's batched products.
//
// Why: tfjs-wasm's product leaves its fast path when a transpose flag is set, so the engine transposed
// explicitly (a copy of the operand) before XNNPACK's product. Here a transposed operand is packed
// straight from the untransposed one (the packing is a copy either way), and the kernel is the one the
// recurrent loops use (relaxed SIMD's fused multiply-add).
import * as tf from '@tensorflow/tfjs-core';
import {
  COLS,
  ROWS,
  packPanels,
  packRows,
  packedProduct,
  packedRowsSize,
  type WasmGemm,
} from '../wasm/gemm.js';
import { ownProducts } from './stepKernels.js';

/**
 * Packs a [m,k] (given as [k,m] when `transposeA`) into blocks of 6 rows and b [k,n] (as [n,k] when
 * `transposeB`) into panels of 8 columns: a transposed operand is packed as it lies. Float indexes.
 */
function packOperands(
  kernel: WasmGemm,
  heap: Float32Array,
  at: { a: number; b: number; pa: number; pb: number },
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
): void {
  if (transposeA) packPanels(kernel, heap, at.a, k, m, ROWS, at.pa);
  else packRows(kernel, heap, at.a, m, k, ROWS, at.pa);
  if (transposeB) packRows(kernel, heap, at.b, n, k, COLS, at.pb);
  else packPanels(kernel, heap, at.b, k, n, COLS, at.pb);
}

/**
 * a [m,k] · b [k,n] (a given as [k,m] with `transposeA`, b as [n,k] with `transposeB`) as a new tensor,
 * or null where the own kernel is not in use (other backends, no relaxed SIMD, tensors not on wasm):
 * callers then run tf.matMul. No gradient: for use inside ops with their own backward pass.
 */
export function ownMatMul(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  transposeA = false,
  transposeB = false,
): tf.Tensor2D | null {
  const own = ownProducts();
  if (!own) return null;
  const { wasm, kernel } = own;
  const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : a.shape;
  const n = transposeB ? b.shape[0] : b.shape[1];
  if ((transposeB ? b.shape[1] : b.shape[0]) !== k) {
    throw new Error(`product: [${a.shape}]${transposeA ? 'ᵀ' : ''} · [${b.shape}]${transposeB ? 'ᵀ' : ''}`);
  }
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || !wasm.slot(a) || !wasm.slot(b)) return null;
  const out = tf.engine().makeTensorFromTensorInfo(wasm.allocate([m, n])) as tf.Tensor2D;
  if (m === 0 || n === 0) return out;
  const packed = [packedRowsSize(m, k), Math.ceil(n / COLS) * COLS * k].map((size) =>
    tf.engine().makeTensorFromTensorInfo(wasm.allocate([Math.max(1, size)])),
  );
  try {
    const [pa, pb] = packed.map((t) => wasm.slot(t)!.offset);
    // After every allocation: only now is a view of the heap safe to hold.
    const heap = wasm.heapF32();
    const [sa, sb, so] = [wasm.slot(a)!.offset, wasm.slot(b)!.offset, wasm.slot(out)!.offset];
    if (k === 0) {
      heap.fill(0, so, so + m * n);
      return out;
    }
    packOperands(kernel, heap, { a: sa, b: sb, pa: pa!, pb: pb! }, m, k, n, transposeA, transposeB);
    packedProduct(kernel, pa! * 4, pb! * 4, k, so * 4, n, m, n);
    return out;
  } finally {
    tf.dispose(packed);
  }
}

/**
 * a·b for each batch row (a [R,M,K], or [R,K,M] with `transposeA`; b [R,K,N], or [R,N,K] with
 * `transposeB`) → [R,M,N], or null where the own kernel is not in use. No gradient (see batchedMatMul).
 * Every row's operands are packed (transposed ones as they lie) into two buffers, then multiplied:
 * no transposed copies, and no per-row set-up beyond three wasm calls.
 */
export function ownBatchedMatMul(
  a: tf.Tensor3D,
  b: tf.Tensor3D,
  transposeA: boolean,
  transposeB: boolean,
): tf.Tensor3D | null {
  const own = ownProducts();
  if (!own || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const { wasm, kernel } = own;
  if (!wasm.slot(a) || !wasm.slot(b)) return null;
  const rows = a.shape[0];
  const [m, k] = transposeA ? [a.shape[2], a.shape[1]] : [a.shape[1], a.shape[2]];
  const n = transposeB ? b.shape[1] : b.shape[2];
  const out = tf.engine().makeTensorFromTensorInfo(wasm.allocate([rows, m, n])) as tf.Tensor3D;
  if (rows * m * n === 0) return out;
  const aSize = packedRowsSize(m, k);
  const bSize = Math.ceil(n / COLS) * COLS * k;
  const packed = [aSize * rows, bSize * rows].map((size) =>
    tf.engine().makeTensorFromTensorInfo(wasm.allocate([Math.max(1, size)])),
  );
  try {
    const [pa, pb] = packed.map((t) => wasm.slot(t)!.offset);
    const heap = wasm.heapF32(); // after every allocation
    const [sa, sb, so] = [wasm.slot(a)!.offset, wasm.slot(b)!.offset, wasm.slot(out)!.offset];
    if (k === 0) {
      heap.fill(0, so, so + rows * m * n);
      return out;
    }
    for (let r = 0; r < rows; r++) {
      const [ar, br, ap, bp] = [sa + r * m * k, sb + r * k * n, pa! + r * aSize, pb! + r * bSize];
      packOperands(kernel, heap, { a: ar, b: br, pa: ap, pb: bp }, m, k, n, transposeA, transposeB);
      packedProduct(kernel, ap * 4, bp * 4, k, (so + r * m * n) * 4, n, m, n);
    }
    return out;
  } finally {
    tf.dispose(packed);
  }
}
