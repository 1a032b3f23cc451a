// Attention (additive, dot, scaled dot, general), the self-attention block and the state-space layer
// against their PyTorch fixtures, reading results asynchronously: the same checks as attention.test.ts,
// selfAttention.test.ts and stateSpace.test.ts, for the device path on cpu (forced) and on webgpu.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { attend, type AttentionScore } from '../../../../../core/engine/ops/attention.js';
import { selfAttentionBlock } from '../../../../../core/engine/ops/selfAttention.js';
import { stateSpace } from '../../../../../core/engine/ops/stateSpace.js';
import { type TorchFixture, loadFixture, relativeErrorOf, tensorOf } from './attentionFixtureHelpers.js';

async function expectClose(f: TorchFixture, name: string, t: tf.Tensor, tol = 1e-4): Promise<void> {
  expect(relativeErrorOf(f, name, t.shape, await t.data()), `${f.name}/${name}`).toBeLessThan(tol);
}

/**
 * Each output of `run` against its fixture tensor, and the gradient of Σ output·probe for every input,
 * each within 1e-4. `outputs`: output key → [fixture tensor, probe tensor].
 */
async function checkOp(
  f: TorchFixture,
  names: string[],
  run: (...inputs: tf.Tensor[]) => Record<string, tf.Tensor>,
  outputs: Record<string, [string, string]>,
  skipGrad: string[] = [],
): Promise<void> {
  const inputs = names.map((n) => tensorOf(f, n));
  const out = run(...inputs);
  for (const [key, [reference]] of Object.entries(outputs)) await expectClose(f, reference, out[key]!);
  const grads = tf.grads((...a: tf.Tensor[]) => {
    const r = run(...a);
    return Object.entries(outputs).reduce<tf.Scalar>(
      (sum, [key, [, probe]]) => tf.add(sum, tf.sum(tf.mul(r[key]!, tensorOf(f, probe)))),
      tf.scalar(0),
    );
  })(inputs);
  for (const [i, n] of names.entries())
    if (!skipGrad.includes(n)) await expectClose(f, `grad_${n}`, grads[i]!);
  tf.dispose([...inputs, ...grads, ...Object.values(out)]);
}

const attentionWeights: Record<AttentionScore, string[]> = {
  additive: ['query_kernel', 'memory_kernel', 'score_vector'],
  dot: [],
  general: ['kernel'],
};
export const ATTENTION_CASES = [
  ['additive', false],
  ['dot', false],
  ['dot', true],
  ['general', false],
] as const;

export async function checkAttention(score: AttentionScore, scaled: boolean): Promise<void> {
  const f = loadFixture(`attention_${score}${scaled ? '_scaled' : ''}`);
  const names = ['query', 'memory', ...attentionWeights[score]];
  const mask = tensorOf(f, 'mask') as tf.Tensor2D;
  await checkOp(
    f,
    names,
    (query, memory, ...ws) => {
      const weights = Object.fromEntries(attentionWeights[score].map((n, i) => [n, ws[i]!]));
      const r = attend(query as tf.Tensor3D, memory as tf.Tensor3D, mask, score, weights, { scaled });
      return { context: r.context, weights: r.weights };
    },
    { context: ['context', 'probe_context'], weights: ['weights', 'probe_weights'] },
  );
}

const blockWeights = [
  ...['query', 'key', 'value', 'output', 'ffn1', 'ffn2'].flatMap((n) => [`${n}/kernel`, `${n}/bias`]),
  ...['norm1', 'norm2'].flatMap((n) => [`${n}/gamma`, `${n}/beta`]),
];
export const SELF_ATTENTION_CASES = [
  ['plain', false, 'sinusoidal'],
  ['causal', true, 'learned'],
] as const;

export async function checkSelfAttention(
  name: string,
  causal: boolean,
  positionalEncoding: 'sinusoidal' | 'learned',
): Promise<void> {
  const f = loadFixture(`self_attention_${name}`);
  const names = ['input', ...blockWeights, ...(positionalEncoding === 'learned' ? ['positions'] : [])];
  const mask = tensorOf(f, 'mask') as tf.Tensor2D;
  // The key bias's true gradient is 0 (softmax ignores a per-row shift): both sides hold rounding noise.
  await checkOp(
    f,
    names,
    (x, ...ws) => {
      const w = Object.fromEntries(names.slice(1).map((n, i) => [n, ws[i]!]));
      const r = selfAttentionBlock(x as tf.Tensor3D, mask, w, { heads: 2, causal, positionalEncoding });
      return { output: r.output };
    },
    { output: ['output', 'probe'] },
    ['key/bias'],
  );
}

export const STATE_SPACE_CASES = [
  ['complex', true],
  ['real', false],
] as const;

export async function checkStateSpace(name: string, complex: boolean): Promise<void> {
  const f = loadFixture(`state_space_${name}`);
  const weightNames = [
    'log_step',
    'log_rate',
    'input_kernel',
    'output_kernel',
    'skip',
    ...(complex ? ['frequency', 'input_kernel_imag', 'output_kernel_imag'] : []),
  ];
  const names = ['input', ...weightNames, ...(complex ? ['initial_state'] : [])];
  const mask = tensorOf(f, 'mask') as tf.Tensor2D;
  await checkOp(
    f,
    names,
    (x, ...rest) => {
      const w = Object.fromEntries(weightNames.map((n, i) => [n, rest[i]!]));
      const initialState = complex ? (rest[weightNames.length] as tf.Tensor3D) : null;
      const r = stateSpace(x as tf.Tensor3D, mask, w, { complex, initialState });
      return { output: r.output, finalState: r.finalState };
    },
    { output: ['output', 'probe'], finalState: ['final_state', 'probe_final'] },
  );
}
