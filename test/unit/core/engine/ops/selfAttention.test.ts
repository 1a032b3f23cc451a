import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../../main/engine/backend.js';
import { selfAttentionBlock, sinusoidalPositions } from '../../../../../core/engine/ops/selfAttention.js';
import { activeWasm } from '../../../../../core/engine/tfjsInternals.js';
import { loadFixture, relativeError, tensorOf, useCpu } from './attentionFixtureHelpers.js';

beforeAll(useCpu);
afterAll(useCpu);

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

// The fixtures are too small for wasm's per-row XNNPACK products (ops/batchedMatMul.ts takes the plain
// loop there), so at sizes that take them, wasm must give what cpu gives (cpu is held to torch above).
describe('self-attention at training sizes on wasm', () => {
  function random(seed: number, n: number, scale = 0.5): Float32Array {
    let s = seed;
    return Float32Array.from({ length: n }, () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return (s / 2147483648 - 0.5) * 2 * scale;
    });
  }
  const [B, T, D, F] = [4, 24, 32, 32];
  const shapes: Record<string, number[]> = {
    'query/kernel': [D, D],
    'key/kernel': [D, D],
    'value/kernel': [D, D],
    'output/kernel': [D, D],
    'ffn1/kernel': [D, F],
    'ffn1/bias': [F],
    'ffn2/kernel': [F, D],
  };
  const pass = (causal: boolean) => {
    const inputs = ['input', ...weightNames].map((n, i) => {
      const shape = n === 'input' ? [B, T, D] : (shapes[n] ?? [D]);
      const size = shape.reduce((a, c) => a * c, 1);
      const values = n.endsWith('gamma') ? new Float32Array(size).fill(1) : random(i + 1, size);
      return tf.tensor(values, shape);
    });
    const lengths = [24, 17, 9, 20];
    const mask = tf.tensor2d(
      Array.from({ length: B * T }, (_, i) => (i % T < lengths[Math.floor(i / T)]! ? 1 : 0)),
      [B, T],
    );
    const probe = tf.tensor3d(random(99, B * T * D), [B, T, D]);
    const grads = tf.grads((...t: tf.Tensor[]) => {
      const w = Object.fromEntries(weightNames.map((n, i) => [n, t[i + 1]!]));
      const r = selfAttentionBlock(t[0] as tf.Tensor3D, mask, w, {
        heads: 2,
        causal,
        positionalEncoding: 'none',
      });
      return tf.sum(tf.mul(r.output, probe));
    })(inputs);
    const out = grads.map((g) => Array.from(g.dataSync()));
    tf.dispose([...grads, ...inputs, mask, probe]);
    return out;
  };

  it.each([false, true])(
    'causal %s: gradients as on cpu (1e-4 relative), on the engine’s own wasm kernel',
    async (causal) => {
      await useCpu();
      const expected = pass(causal);
      await selectBackend('wasm');
      // The batched products run row by row on the own kernel (it binds to wasm memory), not XNNPACK.
      const memory = vi.spyOn(activeWasm()!, 'memory');
      const alias = vi.spyOn(activeWasm()!, 'alias');
      try {
        const actual = pass(causal);
        expect(memory).toHaveBeenCalled();
        expect(alias).not.toHaveBeenCalled();
        actual.forEach((xs, i) => {
          if (weightNames[i - 1] === 'key/bias') return; // zero in exact arithmetic: rounding noise only
          const scale = Math.max(...expected[i]!.map(Math.abs));
          xs.forEach((x, j) =>
            expect(Math.abs(x - expected[i]![j]!) / scale, `${i}:${j}`).toBeLessThan(1e-4),
          );
        });
      } finally {
        alias.mockRestore();
        memory.mockRestore();
        await useCpu();
      }
    },
  );
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
