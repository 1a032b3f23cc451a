import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selfAttentionBlock, sinusoidalPositions } from '../../../../../core/engine/ops/selfAttention.js';
import { loadFixture, relativeError, tensorOf, useCpu } from './attentionFixtureHelpers.js';

beforeAll(useCpu);

const weightNames = [
  'query/kernel',
  'query/bias',
  'key/kernel',
  'key/bias',
  'value/kernel',
  'value/bias',
  'output/kernel',
  'output/bias',
  'norm1/gamma',
  'norm1/beta',
  'ffn1/kernel',
  'ffn1/bias',
  'ffn2/kernel',
  'ffn2/bias',
  'norm2/gamma',
  'norm2/beta',
];

describe.each([
  ['plain', false, 'sinusoidal'],
  ['causal', true, 'learned'],
] as const)('self-attention block (%s) against torch TransformerEncoderLayer', (name, causal, positional) => {
  const f = loadFixture(`self_attention_${name}`);
  const names = ['input', ...weightNames, ...(positional === 'learned' ? ['positions'] : [])];
  const run = (...inputs: tf.Tensor[]) => {
    const [x, ...ws] = inputs;
    const w = Object.fromEntries(names.slice(1).map((n, i) => [n, ws[i]!]));
    return selfAttentionBlock(x as tf.Tensor3D, tensorOf(f, 'mask') as tf.Tensor2D, w, {
      heads: 2,
      causal,
      positionalEncoding: positional,
    });
  };

  it('matches outputs and per-head weights [B,heads,T,T] to 1e-4', () => {
    const { output, weights } = run(...names.map((n) => tensorOf(f, n)));
    expect(relativeError(f, 'output', output)).toBeLessThan(1e-4);
    expect(relativeError(f, 'weights', weights)).toBeLessThan(1e-4);
    const w = weights.arraySync() as number[][][][];
    // example 2 has 3 real steps: keys 3 and 4 get exactly zero weight in every head and row
    for (const head of w[1]!) for (const row of head) expect(row.slice(3)).toEqual([0, 0]);
    if (causal)
      for (const head of w[0]!)
        head.forEach((row, q) => expect(row.slice(q + 1).every((v) => v === 0)).toBe(true));
  });

  it('matches gradients of the input and every weight to 1e-4', () => {
    const loss = (...inputs: tf.Tensor[]) => tf.sum(tf.mul(run(...inputs).output, tensorOf(f, 'probe')));
    const grads = tf.grads(loss)(names.map((n) => tensorOf(f, n)));
    names.forEach((n, i) => {
      if (n === 'key/bias') return; // checked below: it is zero in exact arithmetic
      expect(relativeError(f, `grad_${n}`, grads[i]!), n).toBeLessThan(1e-4);
    });
    // A key bias adds the same amount to every score of a query row, which softmax ignores: the true
    // gradient is 0 and both sides hold only rounding noise (torch ~1e-17 in float64, ours float32).
    const keyBias = grads[names.indexOf('key/bias')]!;
    expect(Math.max(...tf.abs(keyBias).dataSync())).toBeLessThan(1e-5);
  });
});

describe('self-attention checks', () => {
  it('sinusoidal positions: sin at even, cos at odd features', () => {
    const pe = sinusoidalPositions(3, 4).arraySync();
    expect(pe[0]).toEqual([0, 1, 0, 1]);
    expect(pe[2]![0]).toBeCloseTo(Math.sin(2), 6);
    expect(pe[2]![3]).toBeCloseTo(Math.cos(2 / 100), 6);
  });
  it('refuses a dimension not divisible by the heads', () => {
    const f = loadFixture('self_attention_plain');
    const w = Object.fromEntries(weightNames.map((n) => [n, tensorOf(f, n)]));
    expect(() =>
      selfAttentionBlock(tensorOf(f, 'input') as tf.Tensor3D, null, w, {
        heads: 3,
        causal: false,
        positionalEncoding: 'none',
      }),
    ).toThrow(/dimension 8 is not divisible by 3 heads/);
  });
});
