// The engine's own wasm product with either operand transposed, against tfjs's product of the same
// operands, and the dense layer (x·W + b and its three gradients) on it against XNNPACK's path.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../../../core/engine/gradients.js'; // tfjs-core alone registers no gradients
import { selectBackend } from '../../../../../main/engine/backend.js';
import { ownMatMul } from '../../../../../core/engine/ops/ownMatMul.js';
import { matMulBias } from '../../../../../core/engine/ops/matmul.js';
import {
  ownProducts,
  setOwnStepProduct,
  setStepFastPath,
  stepProduct,
} from '../../../../../core/engine/ops/stepKernels.js';

beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

function close(a: tf.Tensor, b: tf.Tensor): void {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = [a.dataSync(), b.dataSync()];
  for (let i = 0; i < x.length; i++)
    expect(Math.abs(x[i]! - y[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(y[i]!)));
}

describe('ownMatMul', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('equals tf.matMul (transposeA %s, transposeB %s) on odd shapes', (ta, tb) => {
    for (const [m, k, n] of [
      [13, 7, 9],
      [1, 300, 17],
      [64, 33, 8],
      [6, 1, 1],
    ] as const) {
      tf.tidy(() => {
        const a = tf.randomNormal(ta ? [k, m] : [m, k], 0, 1, 'float32', m + k) as tf.Tensor2D;
        const b = tf.randomNormal(tb ? [n, k] : [k, n], 0, 1, 'float32', n * 3 + k) as tf.Tensor2D;
        const own = ownMatMul(a, b, ta, tb);
        expect(own).not.toBeNull();
        close(own!, tf.matMul(a, b, ta, tb));
      });
    }
  });

  it('refuses operands that do not fit, saying which', () => {
    tf.tidy(() => {
      expect(() => ownMatMul(tf.zeros([3, 4]) as tf.Tensor2D, tf.zeros([5, 2]) as tf.Tensor2D)).toThrow(
        'product: [3,4] · [5,2]',
      );
    });
  });

  it('frees its packing buffers', () => {
    const a = tf.randomNormal([20, 30]) as tf.Tensor2D;
    const b = tf.randomNormal([30, 10]) as tf.Tensor2D;
    ownMatMul(a, b)!.dispose();
    const before = tf.memory().numTensors;
    ownMatMul(a, b)!.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});

describe('the dense layer on the own kernel', () => {
  it('gives XNNPACK’s value and gradients', () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([50, 37], 0, 1, 'float32', 1) as tf.Tensor2D;
        const w = tf.randomNormal([37, 11], 0, 1, 'float32', 2) as tf.Tensor2D;
        const bias = tf.randomNormal([11], 0, 1, 'float32', 3) as tf.Tensor1D;
        const dy = tf.randomNormal([50, 11], 0, 1, 'float32', 4);
        const f = (x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor) =>
          tf.sum(
            tf.mul(matMulBias(x as tf.Tensor2D, w as tf.Tensor2D, bias as tf.Tensor1D), dy),
          ) as tf.Scalar;
        const { value, grads } = tf.valueAndGrads(f)([x, w, bias]);
        return [value, ...grads].map((t) => tf.keep(t));
      });
    const own = run();
    setOwnStepProduct(false);
    try {
      const xnnpack = run();
      own.forEach((t, i) => close(t, xnnpack[i]!));
      tf.dispose(xnnpack);
    } finally {
      setOwnStepProduct(true);
    }
    tf.dispose(own);
  });
});

describe('stepProduct', () => {
  // A backward time loop multiplies by the recurrent kernel's transpose, packed from the kernel as it is.
  const paths: [string, () => void, () => void][] = [
    ['the engine’s own kernel', () => {}, () => {}],
    ['XNNPACK', () => setOwnStepProduct(false), () => setOwnStepProduct(true)],
    ['plain tfjs', () => setStepFastPath(false), () => setStepFastPath(true)],
  ];
  it.each(paths)('gives input · wᵀ for w [cols, inner] on %s', (name, enter, leave) => {
    enter();
    try {
      expect(ownProducts() !== null).toBe(name === 'the engine’s own kernel');
      for (const [rows, inner, cols] of [
        [5, 12, 13],
        [16, 128, 512],
        [1, 3, 9],
      ] as const) {
        tf.tidy(() => {
          const w = tf.randomNormal([cols, inner], 0, 1, 'float32', rows + cols) as tf.Tensor2D;
          const input = tf.randomNormal([rows, inner], 0, 1, 'float32', inner) as tf.Tensor2D;
          const values = input.dataSync();
          const product = stepProduct(rows, inner, w, true);
          try {
            // Twice: the packed weight is reused and the input buffer refilled.
            for (let pass = 0; pass < 2; pass++) {
              product.input().set(values);
              const out = tf.tensor2d(Float32Array.from(product.run()), [rows, cols]);
              close(out, tf.matMul(input, w, false, true));
            }
          } finally {
            product.dispose();
          }
        });
      }
    } finally {
      leave();
    }
  });

  it('says which weight shape it expected', () => {
    tf.tidy(() => {
      const w = tf.zeros([8, 5]) as tf.Tensor2D;
      expect(() => stepProduct(2, 8, w, true)).toThrow('step product: weight is [8,5], expected […, 8]');
      expect(() => stepProduct(2, 5, w)).toThrow('step product: weight is [8,5], expected [5, …]');
    });
  });
});
