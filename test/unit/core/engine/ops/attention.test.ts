import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../../main/engine/backend.js';
import { attend, type AttentionScore } from '../../../../../core/engine/ops/attention.js';
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
