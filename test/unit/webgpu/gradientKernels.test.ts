// The webgpu kernels that replace tfjs's transpose-then-reduce gradients (core/engine/ops/device/
// columnSums.ts, embeddingGradient.ts, and x·W + b's gradient in ops/matmul.ts) and the softmax loss's ops
// (softmaxCrossEntropy.ts) against tfjs's own ops on
// the same backend: the same values within 1e-5 (relative above 1).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../../../core/engine/gradients.js'; // tfjs-core alone registers no gradients
import { columnSums } from '../../../core/engine/ops/device/columnSums.js';
import { embeddingGradient, positionsById } from '../../../core/engine/ops/device/embeddingGradient.js';
import { softmaxCrossEntropy } from '../../../core/engine/ops/device/softmaxCrossEntropy.js';
import { transposed } from '../../../core/engine/ops/device/webgpuPrograms.js';
import { matMulBias } from '../../../core/engine/ops/matmul.js';
import { gpu, onWebGpu } from './gpuSetup.js';

async function expectClose(actual: tf.Tensor, expected: tf.Tensor, what: string): Promise<void> {
  expect(actual.shape, what).toEqual(expected.shape);
  const [a, e] = (await Promise.all([actual.data(), expected.data()])) as [Float32Array, Float32Array];
  let worst = 0;
  for (let i = 0; i < e.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - e[i]!) / Math.max(1, Math.abs(e[i]!)));
  expect(worst, what).toBeLessThan(1e-5);
}

describe('webgpu gradient kernels', () => {
  it('groups positions by id (counting sort)', () => {
    const { start, order } = positionsById(Int32Array.from([2, 0, 2, 3, 0, 2]), 5);
    expect([...start]).toEqual([0, 2, 2, 5, 6, 6]);
    expect([...order]).toEqual([1, 4, 0, 2, 5, 3]);
  });

  it.skipIf(!gpu.ready)(
    `columnSums sums each column of [37,70] as tf.sum(x, 0) does ${gpu.reason}`,
    async () => {
      await onWebGpu();
      const x = tf.randomUniform([37, 70], -2, 2, 'float32', 1) as tf.Tensor2D;
      await expectClose(columnSums(x), tf.sum(x, 0), 'column sums');
      tf.dispose(x);
    },
  );

  it.skipIf(!gpu.ready)(`transposed gives xᵀ of [7,12] as tf.transpose does ${gpu.reason}`, async () => {
    await onWebGpu();
    const x = tf.randomUniform([7, 12], -2, 2, 'float32', 8) as tf.Tensor2D;
    await expectClose(transposed(x), tf.transpose(x), 'transpose');
    tf.dispose(x);
  });

  it.skipIf(!gpu.ready)(
    `embeddingGradient equals tf.unsortedSegmentSum, repeated and absent ids included ${gpu.reason}`,
    async () => {
      await onWebGpu();
      const V = 11;
      const ids = Int32Array.from([3, 0, 3, 10, 7, 3, 0, 9, 1, 10, 4, 4, 3]);
      const dy = tf.randomUniform([ids.length, 6], -1, 1, 'float32', 2) as tf.Tensor2D;
      const expected = tf.unsortedSegmentSum(dy, tf.tensor1d(ids, 'int32'), V);
      await expectClose(embeddingGradient(dy, ids, V), expected, 'table gradient');
      tf.dispose([dy, expected]);
    },
  );

  it.skipIf(!gpu.ready)(
    `x·W + b and its three gradients equal tfjs's matMul and add ${gpu.reason}`,
    async () => {
      await onWebGpu();
      const x = tf.randomUniform([9, 5], -1, 1, 'float32', 3) as tf.Tensor2D;
      const w = tf.randomUniform([5, 7], -1, 1, 'float32', 4) as tf.Tensor2D;
      const b = tf.randomUniform([7], -1, 1, 'float32', 5) as tf.Tensor1D;
      const dy = tf.randomUniform([9, 7], -1, 1, 'float32', 6);
      const loss = (f: (a: tf.Tensor2D, k: tf.Tensor2D, c: tf.Tensor1D) => tf.Tensor) =>
        tf.grads((a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) =>
          tf.sum(tf.mul(f(a as tf.Tensor2D, k as tf.Tensor2D, c as tf.Tensor1D), dy)),
        )([x, w, b]);
      const ours = loss(matMulBias);
      const theirs = loss((a, k, c) => tf.add(tf.matMul(a, k), c));
      await expectClose(matMulBias(x, w, b), tf.add(tf.matMul(x, w), b), 'value');
      for (const [i, name] of ['∂x', '∂W', '∂b'].entries()) await expectClose(ours[i]!, theirs[i]!, name);
      tf.dispose([x, w, b, dy, ...ours, ...theirs]);
    },
  );

  it.skipIf(!gpu.ready)(
    `softmaxCrossEntropy equals logSoftmax at the label, argMax and softmax, gradient included ${gpu.reason}`,
    async () => {
      await onWebGpu();
      const [N, V] = [7, 13];
      const values = await tf.randomUniform([N, V], -4, 4, 'float32', 7).data();
      values.set([1, 3, 3, 0, -1, 2, 3, 0, 0, 0, 0, 0, 0], 0); // a tie: the first largest is the prediction
      const logits = tf.tensor2d(values, [N, V]);
      const ids = Int32Array.from([2, 0, 12, 5, -1, 7, 3]); // -1: a label outside the classes
      const labels = tf.tensor1d(ids, 'int32');
      const weights = tf.tensor1d([1, 0.5, 2, 1, 1, 0, 3]);
      const fused = softmaxCrossEntropy(logits, labels);
      const reference = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(labels, V)), 1));
      await expectClose(fused.nll, reference, '−log p[label]');
      await expectClose(fused.correct, tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'), 'correct');
      await expectClose(fused.probabilities, tf.softmax(logits), 'probabilities');
      const gradient = (f: (x: tf.Tensor2D) => tf.Tensor) =>
        tf.grad((x: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D), weights)))(logits);
      const ours = gradient((x) => softmaxCrossEntropy(x, labels).nll);
      const theirs = gradient((x) => tf.neg(tf.sum(tf.mul(tf.logSoftmax(x), tf.oneHot(labels, V)), 1)));
      await expectClose(ours, theirs, '∂loss/∂logits');
      expect(Array.from(await fused.correct.data()).slice(0, 1)).toEqual([0]);
      tf.dispose([logits, labels, weights, reference, ours, theirs, fused.nll, fused.correct]);
      fused.probabilities.dispose();
    },
  );
});
