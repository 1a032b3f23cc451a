// The fused WGSL kernels of LSTM, GRU and Elman (core/engine/ops/device/webgpu*.ts) against the generic
// device path of tfjs ops on the same webgpu backend: outputs and every gradient within 1e-5 (relative
// above 1), on a masked batch run right to left (B3, T5, H4). Also counts the kernel dispatches of each:
// the fused path's per time step is one kernel forward and one backward (the recurrent product inside;
// two each way for a GRU with the reset before the product).
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { setFusedKernels } from '../../../core/engine/ops/device/webgpuPrograms.js';
import { type CellConfig, runCell } from '../../../core/engine/ops/recurrent.js';
import { trainBatch } from '../../../core/training/step.js';
import { BENCH_CONFIGS, type BenchName } from '../../../main/engine/bench/configs.js';
import { benchClipping, benchModel, benchOptimizer } from '../../../main/engine/bench/ours.js';
import { countDeviceWork, countedWork } from '../../../main/engine/counters.js';
import { gpu } from './gpuSetup.js';

const B = 3;
const T = 5;
const H = 4;
const In = 3;

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -0.8, 0.8, 'float32', seed);
}

/**
 * Outputs and all gradients of Σ sequence·dy + Σ h·dh (+ Σ c·dc), read back, with the dispatches used.
 */
async function cellRun(
  cell: CellConfig,
  fused: boolean,
  dropout = false,
): Promise<{ values: Float32Array[]; dispatches: number }> {
  setFusedKernels(fused);
  const lstm = cell.kind === 'lstm';
  const G = H * { lstm: 4, gru: 3, elman: 1 }[cell.kind];
  const inputs = [
    seeded([B, T, In], 1),
    seeded([In, G], 2),
    seeded([H, G], 3),
    seeded(cell.kind === 'gru' && cell.resetAfter !== false ? [2, G] : [G], 4),
    seeded([B, H], 5),
    ...(lstm ? [seeded([B, H], 6)] : []),
  ];
  const [dy, dh, dc] = [seeded([B, T, H], 7), seeded([B, H], 8), seeded([B, H], 9)];
  const mask = Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0]);
  const run = (a: tf.Tensor[]) =>
    runCell(
      cell,
      a[0] as tf.Tensor3D,
      { kernel: a[1] as tf.Tensor2D, recurrentKernel: a[2] as tf.Tensor2D, bias: a[3]! },
      { h: a[4] as tf.Tensor2D, ...(lstm ? { c: a[5] as tf.Tensor2D } : {}) },
      { mask, goBackwards: true, ...(dropout ? { recurrentDropMask: DROP } : {}) },
    );
  const counted = await countedWork(async () => {
    const grads = tf.grads((...a: tf.Tensor[]) => {
      const r = run(a);
      const terms = [tf.sum(tf.mul(r.sequence, dy)), tf.sum(tf.mul(r.h, dh))];
      if (lstm) terms.push(tf.sum(tf.mul(r.c!, dc)));
      return tf.addN(terms) as tf.Scalar;
    })(inputs);
    const out = run(inputs);
    return [out.sequence, out.h, ...(lstm ? [out.c!] : []), ...grads];
  });
  const values = await Promise.all(counted.value.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([...counted.value, ...inputs, dy, dh, dc]);
  return { values, dispatches: counted.dispatches };
}

/** A variational recurrent dropout mask [B,H] (kept units scaled by 1/(1−0.25), dropped ones 0). */
const DROP = Float32Array.from({ length: B * H }, (_, i) => (i % 4 === 1 ? 0 : 1 / 0.75));

// The share of the generic path's dispatches the fused one may take (counts, not timings: they do not
// depend on the machine). Elman's generic step is already short (product, add, activation, mask blend);
// a GRU with the reset before the product takes two kernels a step each way.
const CELLS: [string, CellConfig, number][] = [
  ['LSTM', { kind: 'lstm', units: H }, 0.5],
  ['GRU (reset after)', { kind: 'gru', units: H, resetAfter: true }, 0.5],
  ['GRU (reset before)', { kind: 'gru', units: H, resetAfter: false }, 0.6],
  ['Elman (tanh)', { kind: 'elman', units: H, activation: 'tanh' }, 0.6],
  ['Elman (relu)', { kind: 'elman', units: H, activation: 'relu' }, 0.6],
];

describe.each(CELLS)('fused WGSL %s kernels', (name, cell, share) => {
  afterAll(() => setFusedKernels(true));

  it.skipIf(!gpu.ready).each([
    ['', false],
    [' with recurrent dropout', true],
  ])(
    `equal the tfjs-ops device path%s, in a fraction of the dispatches ${gpu.reason}`,
    async (variant, dropout) => {
      countDeviceWork();
      const generic = await cellRun(cell, false, dropout);
      const fused = await cellRun(cell, true, dropout);
      const names = ['sequence', 'h', ...(cell.kind === 'lstm' ? ['c'] : []), 'dx', 'dKernel', 'dRecurrent'];
      names.push('dBias', 'dh0', ...(cell.kind === 'lstm' ? ['dc0'] : []));
      expect(fused.values).toHaveLength(names.length);
      fused.values.forEach((v, k) => {
        const ref = generic.values[k]!;
        expect(v.length, names[k]).toBe(ref.length);
        const scale = Math.max(1, ...Array.from(ref, Math.abs));
        v.forEach((x, i) => expect(Math.abs(x - ref[i]!), `${names[k]}[${i}]`).toBeLessThan(1e-5 * scale));
      });
      console.log(
        `${name}${variant} B${B} T${T} H${H}, forward + backward + forward: ` +
          `${generic.dispatches} dispatches with tfjs ops, ${fused.dispatches} fused`,
      );
      expect(fused.dispatches).toBeLessThan(generic.dispatches * share);
    },
  );
});

/** Outputs and the weights' gradients for a one-hot input x = oneHot(ids), told the ids or not. */
async function oneHotRun(cell: CellConfig, told: boolean): Promise<Float32Array[]> {
  const V = 6;
  const lstm = cell.kind === 'lstm';
  const G = H * { lstm: 4, gru: 3, elman: 1 }[cell.kind];
  const ids = Int32Array.from([0, 3, 5, 3, 1, 2, 2, 2, 4, 0, 5, 1, 3, 3, 0]); // [B,T] batch-major
  const hot = new Float32Array(B * T * V);
  ids.forEach((id, i) => (hot[i * V + id] = 1));
  const x = tf.tensor3d(hot, [B, T, V]);
  const weights = [
    seeded([V, G], 2),
    seeded([H, G], 3),
    seeded(cell.kind === 'gru' && cell.resetAfter !== false ? [2, G] : [G], 4),
  ];
  const dy = seeded([B, T, H], 7);
  const mask = Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0]);
  const run = (w: tf.Tensor[]) =>
    runCell(
      cell,
      x,
      { kernel: w[0] as tf.Tensor2D, recurrentKernel: w[1] as tf.Tensor2D, bias: w[2]! },
      {},
      { mask, goBackwards: true, ...(told ? { oneHotIds: ids } : {}) },
    );
  const grads = tf.grads((...w: tf.Tensor[]) => {
    const r = run(w);
    return tf.add(tf.sum(tf.mul(r.sequence, dy)), tf.sum(r.h)) as tf.Scalar;
  })(weights);
  const out = run(weights);
  const all = [out.sequence, out.h, ...(lstm ? [out.c!] : []), ...grads];
  const values = await Promise.all(all.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([...all, ...weights, x, dy]);
  return values;
}

describe.each(CELLS.slice(0, 4))('fused WGSL %s kernels on a one-hot input', (_name, cell) => {
  it.skipIf(!gpu.ready)(
    `look the kernel rows up and sum their gradient by id, as the product does ${gpu.reason}`,
    async () => {
      setFusedKernels(true);
      const dense = await oneHotRun(cell, false);
      const lookedUp = await oneHotRun(cell, true);
      const names = [
        'sequence',
        'h',
        ...(cell.kind === 'lstm' ? ['c'] : []),
        'dKernel',
        'dRecurrent',
        'dBias',
      ];
      expect(lookedUp).toHaveLength(names.length);
      lookedUp.forEach((v, k) => {
        const ref = dense[k]!;
        const scale = Math.max(1, ...Array.from(ref, Math.abs));
        v.forEach((x, i) => expect(Math.abs(x - ref[i]!), `${names[k]}[${i}]`).toBeLessThan(1e-5 * scale));
      });
    },
  );
});

/** Two training steps of a bench config at B4 T5 H8: the losses, and the dispatches and reads of each. */
async function benchSteps(name: BenchName, fused: boolean) {
  setFusedKernels(fused);
  const { model, batch } = benchModel({ ...BENCH_CONFIGS[name], B: 4, T: 5, H: 8, S: 5 });
  const optimizer = benchOptimizer();
  const steps: { loss: number; dispatches: number; readbacks: number; tensors: number }[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await countedWork(() => trainBatch(model, batch, optimizer, 1e-3, benchClipping, 0));
    const tensors = tf.memory().numTensors;
    steps.push({ loss: r.value.loss, dispatches: r.dispatches, readbacks: r.readbacks, tensors });
  }
  optimizer.dispose();
  model.dispose();
  return steps;
}

describe.each(['lm-lstm', 'tag-bilstm', 'cls-gru'] as BenchName[])(
  'a training step of %s on webgpu',
  (name) => {
    afterAll(() => setFusedKernels(true));

    it.skipIf(!gpu.ready)(
      `gives the same loss with the fused kernels in fewer dispatches, one read, no leak ${gpu.reason}`,
      async () => {
        countDeviceWork();
        const generic = await benchSteps(name, false);
        const fused = await benchSteps(name, true);
        expect(fused[1]!.tensors, 'tensors held after step 2 (as after step 1)').toBe(fused[0]!.tensors);
        fused.forEach((step, i) => {
          expect(Math.abs(step.loss - generic[i]!.loss), `step ${i + 1}`).toBeLessThan(1e-5);
          expect(step.readbacks).toBe(1);
          expect(step.dispatches).toBeLessThan(generic[i]!.dispatches);
        });
        console.log(
          `${name} B4 T5 H8, dispatches per training step: ${generic[1]!.dispatches} with tfjs-ops cells, ` +
            `${fused[1]!.dispatches} with the fused kernels; ${fused[1]!.readbacks} readback`,
        );
      },
      // Two paths × two steps of a whole model, each new shader compiled on the CPU by the emulator.
      300_000,
    );
  },
);
