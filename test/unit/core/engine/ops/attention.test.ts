import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../../main/engine/backend.js';
import { attend, type AttentionScore } from '../../../../../core/engine/ops/attention.js';
import { activeWasm } from '../../../../../core/engine/tfjsInternals.js';
import { loadFixture, relativeError, tensorOf, useCpu } from './attentionFixtureHelpers.js';

beforeAll(useCpu);
afterAll(useCpu);

const weightNames: Record<AttentionScore, string[]> = {
  additive: ['query_kernel', 'memory_kernel', 'score_vector'],
  dot: [],
  general: ['kernel'],
};

// wasm runs the batched products on XNNPACK per batch row (ops/batchedMatMul.ts), cpu on tf.matMul.
const SCORES = [
  ['additive', false],
  ['dot', false],
  ['dot', true],
  ['general', false],
] as const;
const CASES = (['cpu', 'wasm'] as const).flatMap((backend) =>
  SCORES.map(([score, scaled]) => [backend, score, scaled] as const),
);

describe.each(CASES)(
  '%s: %s attention (scaled: %s) against PyTorch (masked sources)',
  (backend, score, scaled) => {
    const f = loadFixture(`attention_${score}${scaled ? '_scaled' : ''}`);
    beforeAll(async () => {
      if (backend === 'wasm') await selectBackend('wasm');
      else await useCpu();
    });
    const names = ['query', 'memory', ...weightNames[score]];

    const run = (...inputs: tf.Tensor[]) => {
      const [query, memory, ...ws] = inputs;
      const weights = Object.fromEntries(weightNames[score].map((n, i) => [n, ws[i]!]));
      return attend(
        query as tf.Tensor3D,
        memory as tf.Tensor3D,
        tensorOf(f, 'mask') as tf.Tensor2D,
        score,
        weights,
        { scaled },
      );
    };

    it('matches context and weights to 1e-4, with exactly zero weight on padded sources', () => {
      const { context, weights } = run(...names.map((n) => tensorOf(f, n)));
      expect(relativeError(f, 'context', context)).toBeLessThan(1e-4);
      expect(relativeError(f, 'weights', weights)).toBeLessThan(1e-4);
      const w = weights.arraySync() as number[][][];
      // second example has 2 real source positions of 4
      for (const row of w[1]!) expect(row.slice(2)).toEqual([0, 0]);
    });

    it('matches gradients of every input and weight to 1e-4', () => {
      const loss = (...inputs: tf.Tensor[]) => {
        const { context, weights } = run(...inputs);
        return tf.add(
          tf.sum(tf.mul(context, tensorOf(f, 'probe_context'))),
          tf.sum(tf.mul(weights, tensorOf(f, 'probe_weights'))),
        );
      };
      const grads = tf.grads(loss)(names.map((n) => tensorOf(f, n)));
      names.forEach((n, i) => expect(relativeError(f, `grad_${n}`, grads[i]!), n).toBeLessThan(1e-4));
    });
  },
);

// The PyTorch fixtures are too small for wasm's per-row XNNPACK products (they take the plain loop there),
// so at sizes that take them, wasm must give what cpu gives (cpu is held to PyTorch above).
describe('attention at training sizes on wasm', () => {
  function random(seed: number, n: number): Float32Array {
    let s = seed;
    return Float32Array.from({ length: n }, () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648 - 0.5;
    });
  }
  const [B, T, S, H] = [3, 10, 16, 64];
  const lengths = [16, 9, 12];
  const pass = (score: AttentionScore) => {
    const query = tf.tensor3d(random(1, B * T * H), [B, T, H]);
    const memory = tf.tensor3d(random(2, B * S * H), [B, S, H]);
    const kernel = tf.tensor2d(random(3, H * H), [H, H]);
    const mask = tf.tensor2d(
      Array.from({ length: B * S }, (_, i) => (i % S < lengths[Math.floor(i / S)]! ? 1 : 0)),
      [B, S],
    );
    const probe = tf.tensor3d(random(4, B * T * H), [B, T, H]);
    const inputs = score === 'general' ? [query, memory, kernel] : [query, memory];
    const grads = tf.grads((...t: tf.Tensor[]) => {
      const r = attend(
        t[0] as tf.Tensor3D,
        t[1] as tf.Tensor3D,
        mask,
        score,
        score === 'general' ? { kernel: t[2]! } : {},
      );
      return tf.add(tf.sum(tf.mul(r.context, probe)), tf.sum(tf.square(r.weights)));
    })(inputs);
    const out = grads.map((g) => Array.from(g.dataSync()));
    tf.dispose([...grads, query, memory, kernel, mask, probe]);
    return out;
  };

  it.each(['dot', 'general'] as const)(
    '%s: gradients as on cpu (1e-5 relative), on the engine’s own wasm kernel',
    async (score) => {
      await useCpu();
      const expected = pass(score);
      await selectBackend('wasm');
      // The batched products run row by row on the own kernel (it binds to wasm memory), not XNNPACK.
      const memory = vi.spyOn(activeWasm()!, 'memory');
      const alias = vi.spyOn(activeWasm()!, 'alias');
      try {
        const actual = pass(score);
        expect(memory).toHaveBeenCalled();
        expect(alias).not.toHaveBeenCalled();
        actual.forEach((xs, i) => {
          const scale = Math.max(...expected[i]!.map(Math.abs));
          xs.forEach((x, j) => expect(Math.abs(x - expected[i]![j]!) / scale).toBeLessThan(1e-5));
        });
      } finally {
        alias.mockRestore();
        memory.mockRestore();
        await useCpu();
      }
    },
  );
});

describe('attention input checks', () => {
  it('says which sizes differ for dot attention', () => {
    expect(() => attend(tf.zeros([1, 2, 3]), tf.zeros([1, 4, 5]), null, 'dot', {})).toThrow(
      /query size 3 .* memory size 5/,
    );
  });
  it('names a missing weight', () => {
    expect(() => attend(tf.zeros([1, 2, 3]), tf.zeros([1, 4, 5]), null, 'general', {})).toThrow(/'kernel'/);
  });
});
