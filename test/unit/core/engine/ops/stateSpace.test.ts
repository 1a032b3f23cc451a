import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  stateSpace,
  stateSpaceInitialValues,
  discretise,
} from '../../../../../core/engine/ops/stateSpace.js';
import { loadFixture, relativeError, tensorOf, useCpu } from './attentionFixtureHelpers.js';

beforeAll(useCpu);

describe.each([
  ['complex', true],
  ['real', false],
] as const)('state-space layer (%s) against PyTorch', (name, complex) => {
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
  const run = (...inputs: tf.Tensor[]) => {
    const [x, ...rest] = inputs;
    const w = Object.fromEntries(weightNames.map((n, i) => [n, rest[i]!]));
    const initialState = complex ? (rest[weightNames.length] as tf.Tensor3D) : null;
    return stateSpace(x as tf.Tensor3D, tensorOf(f, 'mask') as tf.Tensor2D, w, { complex, initialState });
  };

  it('matches outputs and the final state (held over padded steps) to 1e-4', () => {
    const { output, finalState } = run(...names.map((n) => tensorOf(f, n)));
    expect(relativeError(f, 'output', output)).toBeLessThan(1e-4);
    expect(relativeError(f, 'final_state', finalState)).toBeLessThan(1e-4);
  });

  it('matches gradients through the fused scan to 1e-4', () => {
    const loss = (...inputs: tf.Tensor[]) => {
      const { output, finalState } = run(...inputs);
      return tf.add(
        tf.sum(tf.mul(output, tensorOf(f, 'probe'))),
        tf.sum(tf.mul(finalState, tensorOf(f, 'probe_final'))),
      );
    };
    const grads = tf.grads(loss)(names.map((n) => tensorOf(f, n)));
    names.forEach((n, i) => expect(relativeError(f, `grad_${n}`, grads[i]!), n).toBeLessThan(1e-4));
  });
});

describe('state-space layer details', () => {
  it('without log_step uses Δ = 1 (the catalog layer has no step weight)', () => {
    const f = loadFixture('state_space_real');
    const names = ['log_rate', 'input_kernel', 'output_kernel', 'skip'];
    const w = Object.fromEntries(names.map((n) => [n, tensorOf(f, n)]));
    const x = tensorOf(f, 'input') as tf.Tensor3D;
    const a = stateSpace(x, null, w, { complex: false }).output;
    const b = stateSpace(x, null, { ...w, log_step: tf.zeros([4]) }, { complex: false }).output;
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  });

  it('S4D initial values give |Ā| < 1 for every state, complex and real', () => {
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const complex of [true, false]) {
      const v = stateSpaceInitialValues(3, 4, 8, complex, random);
      const w = Object.fromEntries(Object.entries(v).map(([k, d]) => [k, tf.tensor(d)]));
      const { barRe, barIm } = discretise(w, complex);
      const mag = tf.sqrt(tf.add(tf.square(barRe), tf.square(barIm))).dataSync();
      expect(Math.max(...mag)).toBeLessThan(1);
    }
  });
});
