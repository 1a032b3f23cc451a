// batchedMatMul must give tf.matMul's values and gradients for every transpose combination: on cpu (where
// it is tf.matMul) and on wasm, where it runs the engine's own kernel row by row (relaxed SIMD), or
// without it one XNNPACK product per batch row on aliased tensor ids. The reference is tf.matMul on the
// cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../../../../core/engine/gradients.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../../../main/engine/backend.js';
import { batchedMatMul } from '../../../../../core/engine/ops/batchedMatMul.js';
import { activeWasm } from '../../../../../core/engine/tfjsInternals.js';
import { setOwnStepProduct } from '../../../../../core/engine/ops/stepKernels.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

function random(seed: number, n: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  });
}

const R = 3;
// M, K, N chosen so a·bᵀ takes both routes: M·K + M·N < N·K (transpose a and the result) and not; both
// big enough for the per-row path (at least 8 left rows and 8192 multiply-adds a row). The small one
// takes the plain loop on wasm (XNNPACK's packing would cost more than it saves).
const SHAPES = [
  { M: 10, K: 40, N: 24, perRow: true },
  { M: 24, K: 12, N: 40, perRow: true },
  { M: 2, K: 9, N: 5, perRow: false },
];
const FLAGS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

interface Case {
  a: number[];
  b: number[];
  probe: number[];
  aShape: [number, number, number];
  bShape: [number, number, number];
}

function makeCase(M: number, K: number, N: number, ta: boolean, tb: boolean, seed: number): Case {
  return {
    a: Array.from(random(seed, R * M * K)),
    b: Array.from(random(seed + 1, R * K * N)),
    probe: Array.from(random(seed + 2, R * M * N)),
    aShape: ta ? [R, K, M] : [R, M, K],
    bShape: tb ? [R, N, K] : [R, K, N],
  };
}

/** Values of the product and the gradients of sum(product · probe) w.r.t. both operands. */
function run(c: Case, ta: boolean, tb: boolean, ours: boolean) {
  const a = tf.tensor3d(c.a, c.aShape);
  const b = tf.tensor3d(c.b, c.bShape);
  const probe = tf.tensor(c.probe);
  const f = (x: tf.Tensor, y: tf.Tensor) =>
    ours
      ? batchedMatMul(x as tf.Tensor3D, y as tf.Tensor3D, ta, tb)
      : tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D, ta, tb);
  const value = f(a, b);
  const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.reshape(f(x, y), [-1]), probe)))(
    [a, b],
  );
  const out = [value, ga!, gb!].map((t) => Array.from(t.dataSync()));
  tf.dispose([a, b, probe, value, ga!, gb!]);
  return out;
}

function expectClose(actual: number[][], expected: number[][]) {
  actual.forEach((xs, i) => {
    expect(xs.length).toBe(expected[i]!.length);
    xs.forEach((x, j) => expect(Math.abs(x - expected[i]![j]!)).toBeLessThan(1e-5));
  });
}

const cases = ['cpu', 'wasm', 'wasm (XNNPACK)'].flatMap((backend) =>
  SHAPES.flatMap(({ M, K, N, perRow }) =>
    FLAGS.map(
      ([ta, tb]) =>
        [`${backend}, M${M} K${K} N${N}, ta ${ta}, tb ${tb}`, backend, M, K, N, ta, tb, perRow] as const,
    ),
  ),
);

describe.each(cases)('batchedMatMul: %s', (_name, backend, M, K, N, ta, tb, perRow) => {
  it('gives tf.matMul’s values and gradients (reference on cpu), leaving no tensor behind', async () => {
    const c = makeCase(M, K, N, ta, tb, 7 + M);
    await tf.setBackend('cpu');
    const expected = run(c, ta, tb, false);
    const xnnpack = backend === 'wasm (XNNPACK)';
    if (backend !== 'cpu') await selectBackend('wasm');
    setOwnStepProduct(!xnnpack);
    const wasm = activeWasm();
    const alias = wasm ? vi.spyOn(wasm, 'alias') : null;
    const product = wasm ? vi.spyOn(wasm, 'batchMatMul') : null;
    const memory = wasm ? vi.spyOn(wasm, 'memory') : null;
    try {
      const before = tf.memory().numTensors;
      const actual = run(c, ta, tb, true);
      expect(tf.memory().numTensors).toBe(before);
      expectClose(actual, expected);
      if (backend === 'wasm') {
        // The engine's own kernel ran (it binds to wasm memory), never XNNPACK nor its aliases.
        expect(memory!).toHaveBeenCalled();
        expect(product!).not.toHaveBeenCalled();
        expect(alias!).not.toHaveBeenCalled();
      }
      // Without it the per-row XNNPACK path really ran (three aliases per row for each of the four
      // products: the value, the value again under tf.grads, both gradients), or for small products not
      // at all.
      if (xnnpack) expect(alias!.mock.calls.length).toBe(perRow ? 4 * 3 * R : 0);
    } finally {
      setOwnStepProduct(true);
      alias?.mockRestore();
      product?.mockRestore();
      memory?.mockRestore();
    }
  });
});

describe('batchedMatMul input checks', () => {
  it('says which shapes do not fit', () => {
    expect(() => batchedMatMul(tf.zeros([2, 3, 4]), tf.zeros([2, 5, 6]))).toThrow(
      /\[2,3,4\] · \[2,5,6\] do not fit/,
    );
    expect(() => batchedMatMul(tf.zeros([2, 3, 4]), tf.zeros([3, 4, 6]))).toThrow(/batch sizes/);
  });
});
