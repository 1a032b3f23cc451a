import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  decodeSequence, decoderStep, decoderWeightShapes, prepareDecoderMemory, type DecoderAttention, type DecoderSpec,
} from '../../../../../core/engine/seq2seq/decoder.js';
import type { CellConfig, CellState } from '../../../../../core/engine/ops/recurrent.js';
import { maxAbsDiff, randomWeights, seededTensor, useCpu } from './helpers.js';

beforeAll(useCpu);

const B = 2, S = 5, T = 4, E = 3, M = 6;
const sourceMask = tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0]]);
const targetMask = tf.tensor2d([[1, 1, 1, 1], [1, 1, 1, 0]]);

function setup(cell: CellConfig, layers: number, attention: DecoderAttention) {
  const spec: DecoderSpec = { cell, layers, attention, attentionUnits: 5 };
  const memorySize = attention === 'luong-dot' ? cell.units : M;
  const lookup = randomWeights(decoderWeightShapes(spec, E, memorySize), 3);
  const memory = prepareDecoderMemory(seededTensor([B, S, memorySize], 4) as tf.Tensor3D, sourceMask, spec, lookup);
  const init: CellState[] = Array.from({ length: layers }, (_, i) => ({
    h: seededTensor([B, cell.units], 10 + i) as tf.Tensor2D,
    c: cell.kind === 'lstm' ? (seededTensor([B, cell.units], 20 + i) as tf.Tensor2D) : undefined,
  }));
  return { spec, lookup, memory, init, x: seededTensor([B, T, E], 5) as tf.Tensor3D };
}

describe.each([
  ['lstm', 2, 'luong-general'],
  ['gru', 1, 'luong-dot'],
  ['elman', 1, 'none'],
  ['lstm', 1, 'bahdanau'],
  ['gru', 2, 'bahdanau'],
] as const)('decoder (%s, %i layers, attention %s)', (kind, layers, attention) => {
  const cell: CellConfig = { kind, units: 4 };
  const { spec, lookup, memory, init, x } = setup(cell, layers, attention);

  it('teacher forcing over the whole target equals feeding it one step at a time', () => {
    const whole = decodeSequence(x, targetMask, init, spec, lookup, memory);
    let states = init;
    const outs: tf.Tensor2D[] = [];
    const weights: tf.Tensor2D[] = [];
    const m = targetMask.arraySync();
    for (let t = 0; t < T; t++) {
      const xs = tf.reshape(tf.slice(x, [0, t, 0], [B, 1, E]), [B, E]) as tf.Tensor2D;
      const r = decoderStep(xs, states, spec, lookup, memory, Float32Array.from(m.map((row) => row[t]!)));
      outs.push(r.output);
      if (r.attention) weights.push(r.attention);
      states = r.states;
    }
    expect(maxAbsDiff(whole.output, tf.stack(outs, 1))).toBeLessThan(1e-5);
    if (attention !== 'none') expect(maxAbsDiff(whole.attention!, tf.stack(weights, 1))).toBeLessThan(1e-6);
    else expect(whole.attention).toBeNull();
    // final states after the last real target step
    whole.states.forEach((s, i) => expect(maxAbsDiff(s.h!, states[i]!.h!)).toBeLessThan(1e-5));
  });

  it('attention weights [B,T,S]: rows sum to 1, padded sources get exactly 0 (none: no weights)', () => {
    const att = decodeSequence(x, targetMask, init, spec, lookup, memory).attention;
    if (attention === 'none') return expect(att).toBeNull();
    const w = att!;
    expect(w.shape).toEqual([B, T, S]);
    const rows = w.arraySync();
    for (const b of [0, 1]) for (const row of rows[b]!) expect(row.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
    for (const row of rows[1]!) expect(row.slice(2)).toEqual([0, 0, 0]);
  });

  it('passes gradients to every decoder weight', () => {
    const names = Object.keys(decoderWeightShapes(spec, E, attention === 'luong-dot' ? 4 : M));
    const grads = tf.grads((...ws: tf.Tensor[]) => {
      const byName = Object.fromEntries(names.map((n, i) => [n, ws[i]!]));
      const l = (n: string) => byName[n] ?? lookup(n);
      const mem = prepareDecoderMemory(seededTensor([B, S, attention === 'luong-dot' ? 4 : M], 4) as tf.Tensor3D, sourceMask, spec, l);
      return tf.sum(tf.square(decodeSequence(x, targetMask, init, spec, l, mem).output));
    })(names.map((n) => lookup(n)));
    grads.forEach((g, i) => expect(tf.sum(tf.abs(g)).dataSync()[0], names[i]).toBeGreaterThan(0));
  });
});

describe('decoder checks', () => {
  it('Luong dot attention names both sizes when they differ', () => {
    const spec: DecoderSpec = { cell: { kind: 'gru', units: 4 }, layers: 1, attention: 'luong-dot', attentionUnits: 5 };
    expect(() => prepareDecoderMemory(tf.zeros([1, 3, 6]) as tf.Tensor3D, null, spec, () => tf.zeros([1])))
      .toThrow(/memory size \(6\) to equal the decoder units \(4\)/);
  });
});
