// The fused WGSL LSTM kernels (core/engine/ops/device/webgpuLstm.ts) against the generic device path of
// tfjs ops on the same webgpu backend: outputs and every gradient, on a masked batch run right to left
// (B3, T5, H4). Also counts the kernel dispatches of each, per time step: the fused path's is the
// recurrent product, the fused gate kernel and one slice, forward and backward.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { setFusedKernels } from '../../../core/engine/ops/device/webgpuLstm.js';
import { runCell } from '../../../core/engine/ops/recurrent.js';
import { countDeviceWork, countedWork } from '../../../main/engine/counters.js';
import { gpu } from './gpuSetup.js';

const B = 3;
const T = 5;
const H = 4;
const In = 3;

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -0.8, 0.8, 'float32', seed);
}

/** Outputs and all gradients of Σ sequence·dy + Σ h·dh + Σ c·dc, read back, with the dispatches used. */
async function lstmRun(fused: boolean): Promise<{ values: Float32Array[]; dispatches: number }> {
  setFusedKernels(fused);
  const inputs = [
    seeded([B, T, In], 1),
    seeded([In, 4 * H], 2),
    seeded([H, 4 * H], 3),
    seeded([4 * H], 4),
    seeded([B, H], 5),
    seeded([B, H], 6),
  ];
  const [dy, dh, dc] = [seeded([B, T, H], 7), seeded([B, H], 8), seeded([B, H], 9)];
  const mask = Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0]);
  const cell = { kind: 'lstm' as const, units: H };
  const run = (a: tf.Tensor[]) =>
    runCell(
      cell,
      a[0] as tf.Tensor3D,
      { kernel: a[1] as tf.Tensor2D, recurrentKernel: a[2] as tf.Tensor2D, bias: a[3]! },
      { h: a[4] as tf.Tensor2D, c: a[5] as tf.Tensor2D },
      { mask, goBackwards: true },
    );
  const counted = await countedWork(async () => {
    const grads = tf.grads((...a: tf.Tensor[]) => {
      const r = run(a);
      return tf.addN([
        tf.sum(tf.mul(r.sequence, dy)),
        tf.sum(tf.mul(r.h, dh)),
        tf.sum(tf.mul(r.c!, dc)),
      ]) as tf.Scalar;
    })(inputs);
    const out = run(inputs);
    return [out.sequence, out.h, out.c!, ...grads];
  });
  const values = await Promise.all(counted.value.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([...counted.value, ...inputs, dy, dh, dc]);
  return { values, dispatches: counted.dispatches };
}

describe('fused WGSL LSTM kernels', () => {
  afterAll(() => setFusedKernels(true));

  it.skipIf(!gpu.ready)(
    `equal the tfjs-ops device path, in a fraction of the dispatches ${gpu.reason}`,
    async () => {
      countDeviceWork();
      const generic = await lstmRun(false);
      const fused = await lstmRun(true);
      const names = ['sequence', 'h', 'c', 'dx', 'dKernel', 'dRecurrent', 'dBias', 'dh0', 'dc0'];
      fused.values.forEach((v, k) => {
        const ref = generic.values[k]!;
        const scale = Math.max(1, ...Array.from(ref, Math.abs));
        v.forEach((x, i) => expect(Math.abs(x - ref[i]!), `${names[k]}[${i}]`).toBeLessThan(1e-5 * scale));
      });
      console.log(
        `LSTM B${B} T${T} H${H}, forward + backward + forward: ${generic.dispatches} dispatches with tfjs ops, ${fused.dispatches} fused`,
      );
      expect(fused.dispatches).toBeLessThan(generic.dispatches / 2);
    },
  );
});
