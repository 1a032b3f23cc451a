import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { encode, encoderWeightShapes, type EncoderSpec } from '../../../../../core/engine/seq2seq/encoder.js';
import { bridgeWeights } from '../../../../../core/catalog/seq2seq-layout.js';
import { bridgeStates } from '../../../../../core/engine/seq2seq/bridge.js';
import { maxAbsDiff, randomWeights, seededTensor, useCpu } from './helpers.js';

beforeAll(useCpu);

const B = 2,
  S = 5,
  E = 3,
  H = 4;
// [B*S] batch-major, as the fused ops take it.
const mask = Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
const x = seededTensor([B, S, E], 7) as tf.Tensor3D;

describe('encoder', () => {
  it('one plain layer uses the catalog names (kernel, recurrent_kernel, bias)', () => {
    const spec: EncoderSpec = { cell: { kind: 'lstm', units: H }, layers: 1, bidirectional: false };
    expect(Object.keys(encoderWeightShapes(spec, E)).sort()).toEqual(['bias', 'kernel', 'recurrent_kernel']);
  });

  it(
    'bidirectional 2-layer LSTM: memory [B,S,2H]; ' +
      'final states are the forward last real step and the backward first step',
    () => {
      const spec: EncoderSpec = { cell: { kind: 'lstm', units: H }, layers: 2, bidirectional: true };
      const shapes = encoderWeightShapes(spec, E);
      expect(shapes['layer2/backward/kernel']).toEqual([2 * H, 4 * H]);
      const { memory, states } = encode(x, mask, spec, randomWeights(shapes, 2));
      expect(memory.shape).toEqual([B, S, 2 * H]);
      expect(states).toHaveLength(2);
      const top = states[1]!;
      expect(top.h!.shape).toEqual([B, 2 * H]);
      expect(top.c!.shape).toEqual([B, 2 * H]);
      const m = memory.arraySync();
      const h = top.h!.arraySync();
      const lastReal = [4, 2];
      for (const b of [0, 1]) {
        expect(
          h[b]!.slice(0, H)
            .map((v, i) => v - m[b]![lastReal[b]!]![i]!)
            .every((d) => Math.abs(d) < 1e-6),
        ).toBe(true);
        expect(
          h[b]!.slice(H)
            .map((v, i) => v - m[b]![0]![H + i]!)
            .every((d) => Math.abs(d) < 1e-6),
        ).toBe(true);
      }
    },
  );
});

describe('bridge', () => {
  it('passes states through when sizes match (an LSTM decoder after a GRU gets c0 = 0)', () => {
    const h = seededTensor([B, H], 1) as tf.Tensor2D;
    const [s] = bridgeStates([{ h }], 1, { encoderSize: H, decoderUnits: H, decoderIsLstm: true }, () => {
      throw new Error('no weights needed');
    });
    expect(s!.h).toBe(h);
    expect(Array.from(s!.c!.dataSync())).toEqual(new Array(B * H).fill(0));
  });

  it('maps a bidirectional encoder (2H) to a smaller decoder with tanh for h and a linear map for c', () => {
    const spec = { encoderSize: 2 * H, decoderUnits: 3, decoderIsLstm: true };
    // The bridge's weights as the decoder block declares them (core/catalog).
    const shapes = bridgeWeights(2 * H, 3, true).map((w): [string, number[]] => [w.name, [...w.shape]]);
    const lookup = randomWeights(Object.fromEntries(shapes), 5);
    const h = seededTensor([B, 2 * H], 1) as tf.Tensor2D;
    const c = seededTensor([B, 2 * H], 2) as tf.Tensor2D;
    const states = bridgeStates(
      [
        { h, c },
        { h, c },
      ],
      3,
      spec,
      lookup,
    );
    expect(states).toHaveLength(3); // counts differ: every layer starts from the top state
    const expectH = tf.tanh(
      tf.add(tf.matMul(h, lookup('bridge/kernel') as tf.Tensor2D), lookup('bridge/bias')),
    );
    const expectC = tf.add(
      tf.matMul(c, lookup('bridge/cell_kernel') as tf.Tensor2D),
      lookup('bridge/cell_bias'),
    );
    expect(maxAbsDiff(states[2]!.h!, expectH)).toBe(0);
    expect(maxAbsDiff(states[2]!.c!, expectC)).toBe(0);
  });

  it('pairs layers one to one when the counts match', () => {
    const a = seededTensor([B, H], 1) as tf.Tensor2D;
    const b = seededTensor([B, H], 2) as tf.Tensor2D;
    const states = bridgeStates(
      [{ h: a }, { h: b }],
      2,
      { encoderSize: H, decoderUnits: H, decoderIsLstm: false },
      () => tf.zeros([1]),
    );
    expect(states.map((s) => s.h)).toEqual([a, b]);
  });
});
