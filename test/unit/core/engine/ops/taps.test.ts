// Gradient-through-time taps: a zero tensor added to h_t inside the fused recurrence, whose gradient is
// the total ∂loss/∂h_t. Checked against central finite differences of the loss (the tap enters the
// recurrence, so a nudge at step t changes every later step), masked batch included.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CellConfig, runCell } from '../../../../../core/engine/ops/recurrent.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const B = 2,
  T = 4,
  IN = 3,
  H = 3;
const cells: CellConfig[] = [
  { kind: 'lstm', units: H },
  { kind: 'gru', units: H, resetAfter: true },
  { kind: 'gru', units: H, resetAfter: false },
  { kind: 'elman', units: H, activation: 'tanh' },
];

describe.each(cells)('taps on $kind (resetAfter $resetAfter)', (cell) => {
  it('give the total ∂loss/∂h_t at every step', () => {
    const G = (cell.kind === 'lstm' ? 4 : cell.kind === 'gru' ? 3 : 1) * H;
    const rnd = (shape: number[], seed: number) => tf.randomUniform(shape, -0.6, 0.6, 'float32', seed);
    const x = rnd([B, T, IN], 1) as tf.Tensor3D;
    const w = {
      kernel: rnd([IN, G], 2) as tf.Tensor2D,
      recurrentKernel: rnd([H, G], 3) as tf.Tensor2D,
      bias: cell.kind === 'gru' && cell.resetAfter ? rnd([2, G], 4) : rnd([G], 4),
    };
    const dy = rnd([B, T, H], 5);
    const mask = Float32Array.from([1, 1, 1, 1, 1, 1, 0, 0]);
    const loss = (tap: tf.Tensor) => {
      const r = runCell(cell, x, w, {}, { mask, tap });
      return tf.add(tf.sum(tf.mul(r.sequence, dy)), tf.sum(tf.square(r.h))) as tf.Scalar;
    };
    const tap = tf.zeros([B, T, H]);
    const analytic = tf.grad(loss)(tap).dataSync();
    const eps = 1e-2;
    for (let i = 0; i < B * T * H; i++) {
      const e = tf.buffer([B, T, H]);
      e.values[i] = eps;
      const plus = loss(tf.add(tap, e.toTensor())).dataSync()[0]!;
      const minus = loss(tf.sub(tap, e.toTensor())).dataSync()[0]!;
      expect(analytic[i]!, `element ${i}`).toBeCloseTo((plus - minus) / (2 * eps), 3);
    }
  });
});
