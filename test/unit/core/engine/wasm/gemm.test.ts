// The engine's own wasm matrix product against a float64 product computed here, on shapes that exercise
// every edge of its tiling: rows not a multiple of 6, columns not a multiple of 8, odd k, one row, one
// column, and strided output (ldc > n).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  packPanels,
  packRows,
  packedColumnsSize,
  packedProduct,
  packedRowsSize,
  wasmGemm,
  type WasmGemm,
} from '../../../../../core/engine/wasm/gemm.js';
import { enableRelaxedSimd } from '../../../../../main/engine/wasmFeatures.js';

function random(seed: number, n: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  });
}

let kernel: WasmGemm;
const memory = new WebAssembly.Memory({ initial: 64 });

beforeAll(() => {
  expect(enableRelaxedSimd()).toBe(true);
  kernel = wasmGemm(memory)!;
});

/** Lays out A, B, packed A, packed B and C in memory, runs the kernel and returns C (ldc floats a row). */
function product(a: Float32Array, b: Float32Array, m: number, k: number, n: number, ldc = n): Float32Array {
  const heap = new Float32Array(memory.buffer);
  const at = 0;
  const bt = at + m * k;
  const pa = bt + k * n;
  const pb = pa + packedRowsSize(m, k);
  const c = pb + packedColumnsSize(k, n);
  heap.set(a, at);
  heap.set(b, bt);
  heap.fill(Number.NaN, pa, c + m * ldc); // packing must write every value the kernel reads
  for (let i = 0; i < m; i++) heap.fill(-7, c + i * ldc + n, c + (i + 1) * ldc); // beyond n: untouched
  packRows(kernel, heap, at, m, k, 6, pa);
  packPanels(kernel, heap, bt, k, n, 8, pb);
  packedProduct(kernel, pa * 4, pb * 4, k, c * 4, ldc, m, n);
  return heap.slice(c, c + m * ldc);
}

describe('the engine’s wasm matrix product', () => {
  const shapes = [
    [1, 1, 1],
    [6, 2, 8],
    [7, 3, 9],
    [5, 13, 17],
    [12, 16, 16],
    [13, 7, 1],
    [1, 9, 31],
    [64, 33, 40],
    [8, 600, 9], // k over three blocks of K_BLOCK, the last partial
    // The last rows of A in a 4-row tile (3 or 4 left) or a 2-row tile (1 or 2 left).
    [3, 5, 9],
    [16, 20, 24],
    [32, 128, 384],
  ];
  it.each(shapes)('C = A·B for A [%i,%i] and B [.., %i]', (m, k, n) => {
    const a = random(m * 31 + k, m * k);
    const b = random(n * 17 + k, k * n);
    const c = product(a, b, m, k, n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let want = 0;
        for (let q = 0; q < k; q++) want += a[i * k + q]! * b[q * n + j]!;
        expect(Math.abs(c[i * n + j]! - want)).toBeLessThan(1e-6 * (1 + Math.abs(want)) * k);
      }
    }
  });

  it('writes only the n columns of each row when the output is strided', () => {
    const [m, k, n, ldc] = [7, 5, 11, 16];
    const a = random(1, m * k);
    const b = random(2, k * n);
    const c = product(a, b, m, k, n, ldc);
    const tight = product(a, b, m, k, n);
    for (let i = 0; i < m; i++) {
      expect(Array.from(c.subarray(i * ldc, i * ldc + n))).toEqual(
        Array.from(tight.subarray(i * n, (i + 1) * n)),
      );
      expect(Array.from(c.subarray(i * ldc + n, (i + 1) * ldc))).toEqual(new Array(ldc - n).fill(-7));
    }
  });

  it.each([
    [7, 13, 9],
    [12, 300, 16],
    [1, 5, 3],
  ])('C = Xᵀ·B with A packed from X [k,m] itself (no transposed copy), m %i, k %i, n %i', (m, k, n) => {
    const x = random(m + 3 * k, k * m);
    const b = random(n + 5 * k, k * n);
    const heap = new Float32Array(memory.buffer);
    const [xt, bt] = [0, k * m];
    const pa = bt + k * n;
    const pb = pa + packedRowsSize(m, k);
    const c = pb + packedColumnsSize(k, n);
    heap.set(x, xt);
    heap.set(b, bt);
    heap.fill(Number.NaN, pa, c + m * n);
    packPanels(kernel, heap, xt, k, m, 6, pa);
    packPanels(kernel, heap, bt, k, n, 8, pb);
    packedProduct(kernel, pa * 4, pb * 4, k, c * 4, n, m, n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let want = 0;
        for (let q = 0; q < k; q++) want += x[q * m + i]! * b[q * n + j]!;
        expect(Math.abs(heap[c + i * n + j]! - want)).toBeLessThan(1e-6 * (1 + Math.abs(want)) * k);
      }
    }
  });

  it('is one instance per memory', () => {
    expect(wasmGemm(memory)).toBe(kernel);
    expect(wasmGemm(new WebAssembly.Memory({ initial: 1 }))).not.toBe(kernel);
  });
});
