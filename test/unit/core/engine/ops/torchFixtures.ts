// Loads the PyTorch reference fixtures (scripts/reference/torch_fixtures.py) and compares tensors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

export interface FixtureTensor {
  shape: number[];
  data: number[];
}

const ROOT = path.resolve(import.meta.dirname, '../../../../fixtures/torch');

export function loadFixture<T>(area: string, name: string): T {
  return JSON.parse(readFileSync(path.join(ROOT, area, `${name}.json`), 'utf8')) as T;
}

export function toTensor(t: FixtureTensor): tf.Tensor {
  return tf.tensor(t.data, t.shape, 'float32');
}

/**
 * Relative error check: every element within 1e-4 of the reference's largest magnitude, and the
 * whole tensor within 1e-4 in relative L2 norm. Says which tensor and element failed.
 */
export function expectClose(label: string, actual: tf.Tensor, expected: FixtureTensor, tol = 1e-4): void {
  expectValuesClose(label, actual.shape, actual.dataSync(), expected, tol);
}

/** expectClose on values already read (backends that read only asynchronously, such as webgpu). */
export function expectValuesClose(
  label: string,
  shape: number[],
  a: ArrayLike<number>,
  expected: FixtureTensor,
  tol = 1e-4,
): void {
  expect(shape, `${label} shape`).toEqual(expected.shape);
  const e = expected.data;
  let scale = 0;
  let diff2 = 0;
  let ref2 = 0;
  for (let i = 0; i < e.length; i++) {
    scale = Math.max(scale, Math.abs(e[i]!));
    diff2 += (a[i]! - e[i]!) ** 2;
    ref2 += e[i]! ** 2;
  }
  for (let i = 0; i < e.length; i++) {
    const err = Math.abs(a[i]! - e[i]!);
    if (err > tol * Math.max(scale, 1e-6)) {
      expect.fail(`${label}[${i}] = ${a[i]} but PyTorch says ${e[i]} (tensor max |x| ${scale})`);
    }
  }
  expect(Math.sqrt(diff2 / Math.max(ref2, 1e-30)), `${label} relative L2 error`).toBeLessThan(tol);
}
