// wasm's Concat, Slice and SplitV replaced by moves inside wasm memory (core/engine/kernels/wasmCopies.ts):
// the same values as the cpu backend for every axis, rank and dtype they take, tfjs's own kernel for the
// dtypes they leave alone, the same gradients, and no copy of the input out of wasm memory.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../../../../core/engine/gradients.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../../../main/engine/backend.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

function values(seed: number, n: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.round((s / 2147483648 - 0.5) * 2000) / 8;
  });
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const tensor = (shape: number[], seed: number, dtype: 'float32' | 'int32' | 'bool' = 'float32') =>
  dtype === 'bool'
    ? tf.tensor(
        values(seed, size(shape)).map((v) => (v > 0 ? 1 : 0)),
        shape,
        'bool',
      )
    : tf.tensor(values(seed, size(shape)), shape, dtype);

/** f's results on wasm (with the replaced kernels) and on cpu, as nested arrays. */
async function onBoth(f: () => tf.Tensor | tf.Tensor[]): Promise<{ wasm: unknown; cpu: unknown }> {
  const run = () => {
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    const arrays = list.map((t) => ({ shape: t.shape, dtype: t.dtype, values: t.arraySync() }));
    tf.dispose(list);
    return arrays;
  };
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const wasm = run();
  expect(tf.memory().numTensors).toBe(before);
  await tf.setBackend('cpu');
  const cpu = run();
  await tf.setBackend('wasm');
  return { wasm, cpu };
}

describe('wasm copy kernels', () => {
  it('concatenate along every axis: inputs of different widths, an empty one, long rows', async () => {
    const cases: { shapes: number[][]; axis: number; dtype?: 'float32' | 'int32' | 'bool' }[] = [
      { shapes: [[5], [17], [0]], axis: 0 },
      {
        shapes: [
          [3, 4],
          [3, 1],
          [3, 20],
        ],
        axis: 1,
      },
      {
        shapes: [
          [3, 4],
          [2, 4],
        ],
        axis: 0,
      },
      {
        shapes: [
          [4, 6, 3],
          [4, 6, 40],
        ],
        axis: -1,
      },
      {
        shapes: [
          [4, 2, 5],
          [4, 7, 5],
          [4, 0, 5],
        ],
        axis: 1,
      },
      {
        shapes: [
          [2, 3, 4, 5],
          [2, 3, 1, 5],
        ],
        axis: 2,
      },
      {
        shapes: [
          [3, 4],
          [3, 9],
        ],
        axis: 1,
        dtype: 'int32',
      },
      {
        shapes: [
          [3, 4],
          [3, 9],
        ],
        axis: 1,
        dtype: 'bool',
      },
      { shapes: [[6, 18]], axis: 1 },
    ];
    for (const c of cases) {
      const { wasm, cpu } = await onBoth(() =>
        tf.concat(
          c.shapes.map((s, i) => tensor(s, 11 + i, c.dtype)),
          c.axis,
        ),
      );
      expect(wasm, JSON.stringify(c)).toEqual(cpu);
    }
  });

  it('slice every rank, with -1 sizes, whole trailing dimensions and empty results', async () => {
    const cases: { shape: number[]; begin: number[]; size: number[]; dtype?: 'float32' | 'int32' }[] = [
      { shape: [30], begin: [7], size: [20] },
      { shape: [6, 25], begin: [1, 3], size: [4, 18] },
      { shape: [6, 25], begin: [2, 0], size: [3, -1] },
      { shape: [5, 7, 9], begin: [1, 2, 3], size: [3, 4, 5] },
      { shape: [5, 7, 9], begin: [0, 2, 0], size: [-1, 3, -1] },
      { shape: [5, 7, 20], begin: [2, 0, 0], size: [2, -1, -1] },
      { shape: [3, 4, 5, 6], begin: [1, 1, 2, 1], size: [2, 2, 3, 4] },
      { shape: [3, 4, 5, 6], begin: [0, 1, 0, 0], size: [3, 2, -1, -1], dtype: 'int32' },
      { shape: [2, 2, 3, 2, 3], begin: [1, 0, 1, 0, 1], size: [1, 2, 2, 2, 2] },
      { shape: [4, 5], begin: [1, 2], size: [0, 3] },
    ];
    for (const c of cases) {
      const { wasm, cpu } = await onBoth(() => tf.slice(tensor(c.shape, 5, c.dtype), c.begin, c.size));
      expect(wasm, JSON.stringify(c)).toEqual(cpu);
    }
  });

  it('split into equal parts and into given sizes along any axis', async () => {
    const a = await onBoth(() => tf.split(tensor([4, 12, 3], 3), 3, 1));
    expect(a.wasm).toEqual(a.cpu);
    const b = await onBoth(() => tf.split(tensor([4, 6, 30], 4, 'int32'), [10, -1, 5], -1));
    expect(b.wasm).toEqual(b.cpu);
  });

  it("give a concatenation's gradient (a split) equal to cpu's", async () => {
    const { wasm, cpu } = await onBoth(() => {
      const a = tensor([4, 5, 6], 1);
      const b = tensor([4, 5, 20], 2);
      const w = tensor([4, 5, 26], 3);
      const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.concat([x, y], -1), w)))([
        a,
        b,
      ]);
      return [ga!, gb!];
    });
    expect(wasm).toEqual(cpu);
  });

  it('read nothing out of wasm memory to slice or split (tfjs-wasm copied the whole input each time)', () => {
    const x = tensor([8, 10, 32], 9);
    const backend = tf.backend() as unknown as { readSync: (id: object) => unknown };
    const readSync = vi.spyOn(backend, 'readSync');
    const parts = [tf.slice(x, [1, 2, 3], [5, 6, 20]), ...tf.split(x, [12, 20], 2), tf.concat([x, x], 1)];
    expect(readSync).not.toHaveBeenCalled();
    readSync.mockRestore();
    tf.dispose([x, ...parts]);
  });
});
