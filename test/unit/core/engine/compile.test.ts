// The graph compiler: templates-like graphs for every task build, train (loss falls with a tiny Adam
// loop), keep padded positions out of loss and gradients, expose probes, taps and final states, and
// leak no tensors between epochs.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../../../core/data/batch.js';
import { chain } from '../../../fixtures/graphs.js';
import { CompileError, compileGraph } from '../../../../core/engine/compile.js';
import type { StudioModel } from '../../../../core/engine/types.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const B = 4,
  T = 6,
  V = 8;
/** Tokens with lengths 6, 4, 3, 1; labels = token ids (a copy task: tag each token with itself). */
function tagBatch(): Batch {
  const lengths = [6, 4, 3, 1];
  const tokens = new Int32Array(B * T);
  const mask = new Float32Array(B * T);
  lengths.forEach((n, b) => {
    for (let t = 0; t < n; t++) {
      tokens[b * T + t] = 1 + ((b * 3 + t * 5) % (V - 1));
      mask[b * T + t] = 1;
    }
  });
  return {
    tokens: { dtype: 'int32', shape: [B, T], data: tokens },
    mask: { dtype: 'float32', shape: [B, T], data: mask },
    labels: { dtype: 'int32', shape: [B, T], data: tokens.slice() },
  };
}

/** Adam by hand (the training loop lives elsewhere): returns the loss of every step. */
function train(model: StudioModel, batch: Batch, steps: number, onStep?: (i: number) => void): number[] {
  const opt = new Map<string, { m: tf.Tensor; v: tf.Tensor }>(
    model.weights.map((w) => [
      w.name,
      { m: tf.zerosLike(w.variable) as tf.Tensor, v: tf.zerosLike(w.variable) as tf.Tensor },
    ]),
  );
  const losses: number[] = [];
  for (let i = 1; i <= steps; i++) {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => model.forward(batch, { training: true }).loss,
        model.weights.map((w) => w.variable),
      );
      losses.push(value.dataSync()[0]!);
      for (const w of model.weights) {
        const g = grads[w.variable.name]!;
        const s = opt.get(w.name)!;
        const m = tf.add(tf.mul(s.m, 0.9), tf.mul(g, 0.1));
        const v = tf.add(tf.mul(s.v, 0.999), tf.mul(tf.square(g), 0.001));
        const step = tf.div(
          tf.mul(tf.div(m, 1 - 0.9 ** i), 0.02),
          tf.add(tf.sqrt(tf.div(v, 1 - 0.999 ** i)), 1e-8),
        );
        w.variable.assign(tf.sub(w.variable, step));
        s.m.dispose();
        s.v.dispose();
        s.m = tf.keep(m);
        s.v = tf.keep(v);
      }
    });
    onStep?.(i);
  }
  for (const s of opt.values()) tf.dispose([s.m, s.v]);
  return losses;
}

describe('compileGraph', () => {
  it('names weights by node in Keras layout, with gates on recurrent weights', () => {
    const model = compileGraph(
      chain([
        ['tokens', 'input', { role: 'tokens' }],
        ['embed', 'embedding', { vocabularySize: V, dimension: 5 }],
        ['bi', 'bidirectional', { layer: { kind: 'gru', params: { units: 3 } } }],
        ['tags', 'head', { units: V }],
      ]),
      { task: 'tagging' },
    );
    expect(model.weights.map((w) => `${w.name} [${w.variable.shape}]`)).toEqual([
      'embed/embeddings [8,5]',
      'bi/forward/kernel [5,9]',
      'bi/forward/recurrent_kernel [3,9]',
      'bi/forward/bias [2,9]',
      'bi/backward/kernel [5,9]',
      'bi/backward/recurrent_kernel [3,9]',
      'bi/backward/bias [2,9]',
      'tags/kernel [6,8]',
      'tags/bias [8]',
    ]);
    expect(model.weights[1]!.gates).toEqual(['update', 'reset', 'candidate']);
    model.dispose();
  });

  it('refuses an invalid graph naming the block', () => {
    const g = chain([
      ['tokens', 'input', { role: 'tokens' }],
      ['lstm', 'lstm', { units: 4 }],
      ['tags', 'head', { units: V }],
    ]);
    expect(() => compileGraph(g, { task: 'tagging' })).toThrow(CompileError);
    expect(() => compileGraph(g, { task: 'tagging' })).toThrow(/lstm/);
  });

  it('keeps padded steps out of the loss and every gradient', () => {
    const g = chain([
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: V, dimension: 4 }],
      ['lstm', 'lstm', { units: 5 }],
      ['tags', 'head', { units: V }],
    ]);
    const model = compileGraph(g, { task: 'tagging', seed: 3 });
    const batch = tagBatch();
    // Change what sits in padded positions (ids and labels): loss and gradients must not move.
    const noisy: Batch = structuredClone(batch);
    noisy.tokens!.data.forEach((_, i) => {
      if (batch.mask!.data[i] === 0) {
        noisy.tokens!.data[i] = 5;
        noisy.labels!.data[i] = 2;
      }
    });
    const run = (b: Batch) =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => model.forward(b, { training: false }).loss);
        return [value.dataSync()[0]!, ...Object.values(grads).flatMap((t) => Array.from(t.dataSync()))];
      });
    const a = run(batch);
    const n = run(noisy);
    expect(n.length).toBe(a.length);
    n.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 6));
    expect(model.forward(batch, { training: false }).count).toBe(14);
    model.dispose();
  });

  it.each([
    ['lstm', { units: 16 }],
    ['gru', { units: 16, resetAfter: false }],
    [
      'stack',
      {
        layers: 2,
        residual: true,
        dropout: 0.1,
        layer: { kind: 'elman', params: { units: 16, recurrentDropout: 0.1 } },
      },
    ],
  ])('trains a %s tagger (loss falls) without leaking tensors', (kind, params) => {
    const g = chain([
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: V, dimension: 8 }],
      ['rnn', kind, params],
      ['drop', 'dropout', { rate: 0.1, mode: 'variational' }],
      ['tags', 'head', { units: V }],
    ]);
    const model = compileGraph(g, { task: 'tagging', seed: 1 });
    const counts: number[] = [];
    const losses = train(model, tagBatch(), 50, (i) => {
      if (i === 2 || i === 50) counts.push(tf.memory().numTensors);
    });
    expect(counts[1]).toBe(counts[0]);
    expect(losses[49]!).toBeLessThan(losses[0]! * 0.3);
    model.dispose();
  });

  it('holds one tensor per weight, and gives every one back on dispose', () => {
    const g = chain([
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: V, dimension: 8 }],
      ['rnn', 'lstm', { units: 8 }],
      ['tags', 'head', { units: V }],
    ]);
    const before = tf.memory().numTensors;
    const model = compileGraph(g, { task: 'tagging', seed: 3 });
    expect(tf.memory().numTensors - before).toBe(model.weights.length);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(['last', 'mean', 'max', 'attention'])('classifies with %s pooling', (mode) => {
    const g = chain([
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: V, dimension: 6 }],
      ['bi', 'bidirectional', { merge: 'sum', layer: { kind: 'lstm', params: { units: 6 } } }],
      ['pool', 'pooling', { mode, units: 4 }],
      ['label', 'head', { units: 2 }],
    ]);
    const model = compileGraph(g, { task: 'classification', seed: 2 });
    const batch: Batch = {
      ...tagBatch(),
      labels: { dtype: 'int32', shape: [B], data: Int32Array.from([0, 1, 1, 0]) },
    };
    const losses = train(model, batch, 30);
    expect(losses[29]!).toBeLessThan(0.2);
    const r = model.forward(batch, { training: false });
    expect(r.outputs.label!.shape).toEqual([B, 2]);
    expect(r.metrics.accuracy!.dataSync()[0]).toBe(1);
    if (mode === 'attention') expect(r.outputs['pool/attention']!.shape).toEqual([B, T]);
    model.dispose();
  });

  it('regresses on features with a linear head (MSE)', () => {
    const g = chain([
      ['x', 'input', { role: 'features', features: 2 }],
      ['gru', 'gru', { units: 8, returnSequences: false }],
      ['y', 'head', { activation: 'linear', units: 1 }],
    ]);
    const model = compileGraph(g, { task: 'regression', seed: 5 });
    const feats = Float32Array.from({ length: B * T * 2 }, (_, i) => Math.sin(i));
    const targets = Float32Array.from([0.5, -0.25, 0.1, 0.8]);
    const batch: Batch = {
      features: { dtype: 'float32', shape: [B, T, 2], data: feats },
      targets: { dtype: 'float32', shape: [B, 1], data: targets },
    };
    const losses = train(model, batch, 60);
    expect(losses[59]!).toBeLessThan(0.01);
    expect(model.forward(batch, { training: false }).metrics.mse).toBeDefined();
    model.dispose();
  });

  it('returns probes (hidden, gates), final states and honours initial states and taps', () => {
    const g = chain([
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: V, dimension: 4 }],
      ['lstm', 'lstm', { units: 5 }],
      ['tags', 'head', { units: V }],
    ]);
    const model = compileGraph(g, { task: 'language-model', seed: 4 });
    const batch = tagBatch();
    const r = model.forward(batch, { training: false, probe: true });
    expect(r.outputs['lstm/hidden']!.shape).toEqual([B, T, 5]);
    expect(
      Object.keys(r.outputs)
        .filter((k) => k.startsWith('lstm/gate/'))
        .sort(),
    ).toEqual(['lstm/gate/cell', 'lstm/gate/forget', 'lstm/gate/input', 'lstm/gate/output']);
    expect(r.finalState!.lstm!.map((t) => t.shape)).toEqual([
      [B, 5],
      [B, 5],
    ]);
    expect(r.metrics.perplexity).toBeDefined();
    // Starting from the final state changes the loss; taps of zeros do not, and their gradient is per step.
    const again = model.forward(batch, { training: false, initialState: { lstm: r.finalState!.lstm! } });
    expect(again.loss.dataSync()[0]).not.toBeCloseTo(r.loss.dataSync()[0]!, 5);
    const tap = tf.zeros([B, T, 5]);
    const [dTap] = tf.grads(
      (t: tf.Tensor) => model.forward(batch, { training: false, taps: { lstm: t } }).loss,
    )([tap]);
    const norms = tf.sum(tf.square(dTap!), [0, 2]).dataSync();
    expect(norms[0]).toBeGreaterThan(0);
    model.dispose();
  });
});
