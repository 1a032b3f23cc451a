// [rows | 1]ᵀ·dG — a recurrent cell's weight and bias gradients in one product — on the engine's own
// wasm kernel (core/engine/wasm/gemm.ts), with no transposed copy of either operand.
//
// Why: this product is a third of an LSTM language model's training arithmetic ([H+1, B·T]·[B·T, 4H]).
// Through tfjs it takes a transpose of dG (B·T×4H floats), a concat for the ones column and a transpose
// of the result; here A is packed straight from the rows (their columns are A's rows: `packPanels` with
// width 6), the ones row written into its lane, dG packed into panels of 8 columns, and k = B·T is cut
// into cache-sized blocks (`packedProduct`).
import * as tf from '@tensorflow/tfjs-core';
import type { WasmAccess } from '../tfjsInternals.js';
import {
  COLS,
  ROWS,
  packPanels,
  packedColumnsSize,
  packedProduct,
  packedRowsSize,
  type WasmGemm,
} from '../wasm/gemm.js';

/**
 * The weight ([W,G]) and bias ([G]) gradients of `rows` [N,W] (a tensor on wasm, or time-major values
 * in an array) and dG [N,G]. Arrays, not tensors (see `gradWithBias`).
 */
export function ownGradWithBias(
  own: { wasm: WasmAccess; kernel: WasmGemm },
  rows: tf.Tensor2D | Float32Array | null,
  dG: Float32Array,
  G: number,
): { weight: Float32Array; bias: Float32Array } {
  const { wasm, kernel } = own;
  const N = dG.length / G;
  const W = rows === null ? 0 : rows instanceof Float32Array ? rows.length / N : rows.shape[1];
  const M = W + 1;
  // Every value the kernel reads is written below, so the buffers need no zeroing. Arrays are staged in
  // wasm memory first: the packing runs in wasm, on the heap.
  const staged: tf.Tensor[] = [tf.tensor1d(dG)];
  if (rows instanceof Float32Array) staged.push(tf.tensor1d(rows));
  const buffers = [packedRowsSize(M, N), packedColumnsSize(N, G), M * G].map((size) =>
    tf.engine().makeTensorFromTensorInfo(wasm.allocate([size])),
  );
  try {
    const [a, b, c] = buffers.map((t) => wasm.slot(t)!);
    const dGAt = wasm.slot(staged[0]!)!.offset;
    const rowsTensor = rows instanceof Float32Array ? staged[1]! : rows;
    // Only now, after every allocation, is a view of the heap safe to hold.
    const heap = wasm.heapF32();
    if (rowsTensor) packPanels(kernel, heap, wasm.slot(rowsTensor)!.offset, N, W, ROWS, a!.offset);
    // The ones row (row W of A) is lane W mod 6 of the last block; the block's other lanes past W are 0.
    const block = a!.offset + (W - (W % ROWS)) * N;
    for (let kk = 0; kk < N; kk++) {
      const at = block + kk * ROWS;
      for (let r = W % ROWS; r < ROWS; r++) heap[at + r] = r === W % ROWS ? 1 : 0;
    }
    packPanels(kernel, heap, dGAt, N, G, COLS, b!.offset);
    packedProduct(kernel, a!.offset * 4, b!.offset * 4, N, c!.offset * 4, G, M, G);
    const values = heap.slice(c!.offset, c!.offset + M * G);
    return { weight: values.subarray(0, W * G), bias: values.subarray(W * G) };
  } finally {
    tf.dispose([...buffers, ...staged]);
  }
}
