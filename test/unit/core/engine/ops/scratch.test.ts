// The fused ops take their per-step records from a pool of reused arrays (ops/scratch.ts). Arrays come
// back dirty, with another call's values in them: a forward + backward on a masked batch (whose padded
// rows the loops skip) after the pool was filled with other data must give exactly what it gives on fresh
// arrays, gradients and recorded gates alike, for every cell kind; and the pool must really be used.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../../main/engine/backend.js';
import { type CellConfig, biasShape, gateCount, runCell } from '../../../../../core/engine/ops/recurrent.js';
import { clearScratchPool, pooledScratchBytes } from '../../../../../core/engine/ops/scratch.js';
import type { RecurrentRecorder } from '../../../../../core/engine/ops/sequence.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

const B = 3;
const T = 5;
const In = 4;
const H = 6;

function random(seed: number, n: number, scale: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * 2 * scale;
  });
}

/** Gradients of a fixed loss w.r.t. every input, and the recorded gates, for one seed's data. */
function step(cell: CellConfig, seed: number, scale: number, mask: Float32Array) {
  const G = gateCount(cell.kind) * H;
  const inputs = [
    tf.tensor3d(random(seed, B * T * In, scale), [B, T, In]),
    tf.tensor2d(random(seed + 1, In * G, 0.5), [In, G]),
    tf.tensor2d(random(seed + 2, H * G, 0.5), [H, G]),
    tf.tensor(
      random(
        seed + 3,
        biasShape(cell).reduce((a, b) => a * b, 1),
        0.5,
      ),
      biasShape(cell),
    ),
  ];
  const recorder: RecurrentRecorder = {};
  const grads = tf.grads((...t: tf.Tensor[]) => {
    const r = runCell(
      cell,
      t[0] as tf.Tensor3D,
      { kernel: t[1] as tf.Tensor2D, recurrentKernel: t[2] as tf.Tensor2D, bias: t[3]! },
      {},
      { mask, recorder },
    );
    return tf.add(tf.sum(tf.square(r.sequence)), tf.sum(r.h)) as tf.Scalar;
  })(inputs);
  const out = { grads: grads.map((g) => Array.from(g.dataSync())), gates: Array.from(recorder.gates ?? []) };
  tf.dispose([...grads, ...inputs]);
  return out;
}

const CELLS: CellConfig[] = [
  { kind: 'lstm', units: H },
  { kind: 'elman', units: H, activation: 'tanh' },
  { kind: 'gru', units: H, resetAfter: true },
  { kind: 'gru', units: H, resetAfter: false },
];

/** 'gru (reset after)', 'lstm': the cell as a test name says it. */
const cellName = (c: CellConfig) =>
  c.kind === 'gru' ? `gru (reset ${c.resetAfter ? 'after' : 'before'})` : c.kind;

const cases = ['cpu', 'wasm'].flatMap((backend) =>
  CELLS.map((c) => [`${backend}, ${cellName(c)}`, backend, c] as const),
);

describe.each(cases)('scratch records: %s', (_name, backend, cell) => {
  it('dirty pooled arrays give exactly what fresh ones give, and the pool is used', async () => {
    if (backend === 'wasm') await selectBackend('wasm');
    else await tf.setBackend('cpu');
    // Sequence lengths 5, 3 and 1: padded rows the loops never write.
    const mask = Float32Array.from({ length: B * T }, (_, i) =>
      i % T < [5, 3, 1][Math.floor(i / T)]! ? 1 : 0,
    );
    clearScratchPool();
    const fresh = step(cell, 11, 1, mask);
    expect(pooledScratchBytes()).toBeGreaterThan(0); // the backward pass gave its records back
    // Fill the pool with another batch's values (large, unmasked), then run the first batch again.
    step(cell, 97, 50, new Float32Array(B * T).fill(1));
    const reused = step(cell, 11, 1, mask);
    expect(reused.grads).toEqual(fresh.grads);
    expect(reused.gates).toEqual(fresh.gates);
    // The padded steps record no gate activity.
    const G = gateCount(cell.kind) * H;
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++)
        if (mask[b * T + t] === 0)
          expect(reused.gates.slice((b * T + t) * G, (b * T + t + 1) * G).every((v) => v === 0)).toBe(true);
  });
});
