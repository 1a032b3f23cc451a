// The fused ops on the wasm backend (what the studio runs on most machines) against the same PyTorch
// fixtures as on cpu: forward and every gradient, for each cell kind and variant. On wasm the per-step
// products and sigmoids run in place in wasm memory (ops/stepKernels.ts), so these are the tests of that
// fast path; the last ones compare it with the ordinary tfjs path, and the one-hot input path with the
// dense product it replaces.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../main/engine/backend.js';
import { type CellConfig, runCell } from '../../../../core/engine/ops/recurrent.js';
import { ownProducts, setOwnStepProduct, setStepFastPath } from '../../../../core/engine/ops/stepKernels.js';
import { LAYER_FIXTURES, checkLayerFixture } from '../../core/engine/ops/deviceParity.js';

beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(LAYER_FIXTURES)('wasm: %s', (name) => {
  it('matches PyTorch', () => checkLayerFixture(name));
});

it('runs the products on the engine’s own kernel here (relaxed SIMD), so the fixtures above test it', () => {
  expect(ownProducts()).not.toBeNull();
});

/** Forward sequence and all gradients of a random masked batch, as plain arrays. */
function runAll(cell: CellConfig, oneHot: boolean, useIds: boolean): number[][] {
  const [B, T, V, H] = [3, 7, 5, cell.units];
  const G = { lstm: 4, gru: 3, elman: 1 }[cell.kind] * H;
  const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + 3) % V);
  const mask = Float32Array.from({ length: B * T }, (_, i) => (i % T < T - ((i / T) | 0) ? 1 : 0));
  // Variational recurrent dropout: one mask per sequence and unit, kept values scaled by 2.
  const recurrentDropMask = Float32Array.from({ length: B * H }, (_, i) => ((i * 5) % 7 < 4 ? 2 : 0));
  return tf.tidy(() => {
    const x = oneHot
      ? tf.cast(tf.oneHot(tf.tensor2d(ids, [B, T], 'int32'), V), 'float32')
      : tf.randomNormal([B, T, V], 0, 1, 'float32', 1);
    const w = [
      x,
      tf.randomNormal([V, G], 0, 0.5, 'float32', 2),
      tf.randomNormal([H, G], 0, 0.5, 'float32', 3),
      tf.randomNormal(cell.kind === 'gru' && cell.resetAfter !== false ? [2, G] : [G], 0, 0.5, 'float32', 4),
    ];
    const run = (t: tf.Tensor[]) =>
      runCell(
        cell,
        t[0] as tf.Tensor3D,
        { kernel: t[1] as tf.Tensor2D, recurrentKernel: t[2] as tf.Tensor2D, bias: t[3]! },
        {},
        { mask, oneHotIds: useIds ? ids : null, recurrentDropMask },
      );
    const seq = run(w).sequence;
    const dy = tf.randomNormal(seq.shape, 0, 1, 'float32', 5);
    const grads = tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(run(t).sequence, dy)) as tf.Scalar)(w);
    return [seq, ...grads].map((t) => Array.from(t.dataSync()));
  });
}

function expectSame(a: number[][], b: number[][]): void {
  expect(a.length).toBe(b.length);
  a.forEach((xs, i) =>
    xs.forEach((v, j) => expect(Math.abs(v - b[i]![j]!)).toBeLessThan(1e-5 * (1 + Math.abs(b[i]![j]!)))),
  );
}

const CELLS: CellConfig[] = [
  { kind: 'lstm', units: 6 },
  // Multiples of 4 units: the gate arithmetic runs in wasm (core/engine/wasm/gruSteps.ts, lstmSteps.ts).
  { kind: 'lstm', units: 8 },
  { kind: 'gru', units: 6, resetAfter: true },
  { kind: 'gru', units: 8, resetAfter: true },
  { kind: 'gru', units: 6, resetAfter: false },
  { kind: 'elman', units: 6, activation: 'tanh' },
];

describe.each(CELLS)('wasm fast path: $kind', (cell) => {
  it('equals the ordinary tfjs path (forward and every gradient)', () => {
    const fast = runAll(cell, false, false);
    setStepFastPath(false);
    try {
      expectSame(fast, runAll(cell, false, false));
    } finally {
      setStepFastPath(true);
    }
  });

  it('the engine’s own products give XNNPACK’s (forward and every gradient; one-hot too)', () => {
    for (const [oneHot, ids] of [
      [false, false],
      [true, true],
    ] as const) {
      const own = runAll(cell, oneHot, ids);
      setOwnStepProduct(false);
      try {
        expectSame(own, runAll(cell, oneHot, ids));
      } finally {
        setOwnStepProduct(true);
      }
    }
  });

  it('one-hot ids give the dense one-hot product (forward and every gradient)', () => {
    const dense = runAll(cell, true, false);
    const lookedUp = runAll(cell, true, true);
    // The gradient of a one-hot input is the same dense product in both; the kernel's is a row sum.
    expect(lookedUp[2]!.some((v) => v !== 0)).toBe(true);
    expectSame(lookedUp, dense);
  });
});
