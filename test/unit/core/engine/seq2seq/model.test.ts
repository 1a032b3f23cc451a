import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createSeq2SeqModel, type Seq2SeqConfig } from '../../../../../core/engine/seq2seq/model.js';
import { translate } from '../../../../../core/engine/seq2seq/stepper.js';
import { reversalBatch, useCpu } from './helpers.js';

beforeAll(useCpu);

const V = 7;
const config = (over: Partial<Seq2SeqConfig> = {}): Seq2SeqConfig => ({
  node: 's2s', sourceVocabulary: V, targetVocabulary: V, embedding: 8,
  encoder: { cell: { kind: 'gru', units: 12 }, layers: 1, bidirectional: true },
  decoder: { cell: { kind: 'lstm', units: 16 }, layers: 1, attention: 'bahdanau', attentionUnits: 8 },
  teacherForcing: 1, seed: 3, ...over,
});

describe('seq2seq model', () => {
  it('names weights by node, reports gates for recurrent kernels, and gives attention [B,T,S] as an output', () => {
    const model = createSeq2SeqModel(config());
    const names = model.weights.map((w) => w.name);
    expect(names).toContain('s2s/encoder/forward/kernel');
    expect(names).toContain('s2s/decoder/bridge/kernel'); // 2·12 encoder -> 16 decoder units
    expect(names).toContain('s2s/decoder/attention/score_vector');
    expect(model.weights.find((w) => w.name === 's2s/decoder/recurrent_kernel')!.gates).toEqual(['input', 'forget', 'cell', 'output']);
    const batch = reversalBatch(3, 4, V, 1);
    const r = model.forward(batch, { training: false });
    expect(r.outputs['s2s/attention']!.shape).toEqual([3, 5, 4]);
    expect(r.count).toBe(Array.from(batch.targetMask!.data).reduce((a, b) => a + b, 0));
    model.dispose();
  });

  it('a missing batch field is named', () => {
    const model = createSeq2SeqModel(config());
    expect(() => model.forward({}, { training: false })).toThrow(/no 'source'/);
    model.dispose();
  });

  it('learns on a fixed batch (loss falls), with scheduled sampling too', () => {
    for (const teacherForcing of [1, 0.7]) {
      const model = createSeq2SeqModel(config({ teacherForcing, decoder: { cell: { kind: 'lstm', units: 16 }, layers: 1, attention: 'luong-general', attentionUnits: 8 } }));
      const batch = reversalBatch(8, 3, V, 2);
      const optimizer = tf.train.adam(0.02);
      const vars = model.weights.map((w) => w.variable);
      const loss = () => tf.tidy(() => model.forward(batch, { training: false }).loss.dataSync()[0]!);
      const before = loss();
      for (let i = 0; i < 40; i++) {
        tf.tidy(() => optimizer.applyGradients(tf.variableGrads(() => model.forward(batch, { training: true }).loss, vars).grads as Record<string, tf.Variable>));
      }
      expect(loss()).toBeLessThan(before * 0.5);
      model.dispose();
    }
  });

  it('translate: beam width 1 equals greedy on a real decoder; beam scores equal teacher-forced rescoring', () => {
    const model = createSeq2SeqModel(config());
    const batch = reversalBatch(3, 4, V, 5);
    const src = batch.source!;
    const args = [model, src.data as Int32Array, src.shape as [number, number], batch.sourceMask!.data as Float32Array] as const;
    const options = { start: 1, end: 2, maxLength: 6 };
    const greedy = translate(...args, options);
    const beam1 = translate(...args, { ...options, beamWidth: 1 });
    const beam4 = translate(...args, { ...options, beamWidth: 4 });
    expect(beam1).toEqual(greedy);
    // Rescore row 0's beam output by the teacher-forced forward pass: same log-probability.
    const tokens = beam4[0]!.tokens;
    const T = tokens.length;
    const S = src.shape[1]!;
    const probs = model.forward({
      source: { dtype: 'int32', shape: [1, S], data: (src.data as Int32Array).slice(0, S) },
      sourceMask: { dtype: 'float32', shape: [1, S], data: (batch.sourceMask!.data as Float32Array).slice(0, S) },
      targetIn: { dtype: 'int32', shape: [1, T], data: Int32Array.from([1, ...tokens.slice(0, -1)]) },
      targetOut: { dtype: 'int32', shape: [1, T], data: Int32Array.from(tokens) },
      targetMask: { dtype: 'float32', shape: [1, T], data: new Float32Array(T).fill(1) },
    }, { training: false }).outputs['s2s/probabilities']!.arraySync() as number[][][];
    const rescored = tokens.reduce((sum, tok, t) => sum + Math.log(probs[0]![t]![tok]!), 0);
    expect(beam4[0]!.logProb).toBeCloseTo(rescored, 4);
    model.dispose();
  });
});
