// An encoder–decoder with attention as a studio graph compiled by the engine (the way the templates and
// the bench's s2s-attn build one): weight names and gates, the attention output, the loss count, a clear
// error for a missing batch field; the decoder is causal (teacher forcing over the whole target gives
// what decoding one step at a time gives, as the playground's translator relies on); attention rows sum
// to 1 with exactly 0 on padded source steps; every weight gets a gradient; and learning on a fixed
// batch through the training step, with teacher forcing and with scheduled sampling (teacherForcing < 1).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { compileGraph } from '../../../../../core/engine/compile.js';
import type { Graph } from '../../../../../core/graph/types.js';
import { ClippingConfigSchema, OptimizerConfigSchema } from '../../../../../core/training/config.js';
import { Optimizer } from '../../../../../core/training/optimizers.js';
import { trainBatch } from '../../../../../core/training/step.js';
import { encoderDecoderGraph } from '../../../../../core/graph/build.js';
import { reversalBatch, useCpu } from './helpers.js';

beforeAll(useCpu);

const V = 7;

function graph(
  decoder: Record<string, unknown>,
  attention: Record<string, unknown>,
  encoderCell = 'gru',
): Graph {
  return encoderDecoderGraph({
    vocabulary: V,
    dimension: 8,
    encoder: { layer: { kind: encoderCell, params: { units: 12 } }, bidirectional: true },
    decoder: { layer: { kind: 'lstm', params: { units: 16 } }, ...decoder },
    attention,
  });
}

describe('seq2seq as a compiled studio graph', () => {
  it(
    'names weights by block, reports gates for recurrent kernels, ' +
      'and gives attention [B,T,S] as an output',
    () => {
      const model = compileGraph(graph({}, { score: 'additive', units: 8 }), { task: 'seq2seq', seed: 3 });
      try {
        const names = model.weights.map((w) => w.name);
        expect(names).toEqual(
          expect.arrayContaining([
            'encoder/forward/kernel',
            'encoder/backward/kernel',
            'attention/score_vector',
          ]),
        );
        expect(names).toContain('decoder/bridge/kernel'); // 2·12 encoder -> 16 decoder units
        expect(model.weights.find((w) => w.name === 'decoder/recurrent_kernel')!.gates).toEqual([
          'input',
          'forget',
          'cell',
          'output',
        ]);
        expect(model.weights.find((w) => w.name === 'encoder/forward/recurrent_kernel')!.gates).toEqual([
          'update',
          'reset',
          'candidate',
        ]);
        const batch = reversalBatch(3, 4, V, 1);
        const r = tf.tidy(() => {
          const out = model.forward(batch, { training: false });
          return { shape: out.outputs['attention/attention']!.shape, count: out.count };
        });
        expect(r.shape).toEqual([3, 5, 4]);
        expect(r.count).toBe(Array.from(batch.targetMask!.data).reduce((a, b) => a + b, 0));
      } finally {
        model.dispose();
      }
    },
  );

  it('a missing batch field is named', () => {
    const model = compileGraph(graph({}, { score: 'general' }), { task: 'seq2seq', seed: 3 });
    try {
      expect(() => model.forward({}, { training: false })).toThrow(/needs "source" in the batch/);
    } finally {
      model.dispose();
    }
  });

  it(
    'learns on a fixed batch through the training step (loss halves), ' + 'with scheduled sampling too',
    async () => {
      for (const teacherForcing of [1, 0.7]) {
        const model = compileGraph(graph({ teacherForcing }, { score: 'general' }), {
          task: 'seq2seq',
          seed: 3,
        });
        const optimizer = new Optimizer(OptimizerConfigSchema.parse({ kind: 'adam', learningRate: 0.02 }));
        try {
          const batch = reversalBatch(8, 3, V, 2);
          const clipping = ClippingConfigSchema.parse({ kind: 'global-norm', value: 5 });
          const loss = () => tf.tidy(() => model.forward(batch, { training: false }).loss.dataSync()[0]!);
          const before = loss();
          let drawn = 0;
          const random = () => ((drawn = (drawn * 9301 + 49297) % 233280), drawn / 233280);
          for (let i = 0; i < 40; i++)
            expect(
              (await trainBatch(model, batch, optimizer, 0.02, clipping, 0, random)).nonFinite,
            ).toBeUndefined();
          expect(loss()).toBeLessThan(before * 0.5);
        } finally {
          optimizer.dispose();
          model.dispose();
        }
      }
    },
  );

  for (const score of ['additive', 'general'] as const) {
    it(
      `${score} attention: each step's output depends only on ` +
        `the target so far (teacher forcing = one step at a time)`,
      () => {
        const model = compileGraph(graph({}, { score, units: 8 }), { task: 'seq2seq', seed: 5 });
        try {
          const full = reversalBatch(3, 4, V, 9);
          const T = full.targetIn!.shape[1]!;
          const whole = tf.tidy(
            () => model.forward(full, { training: false }).outputs.next!.arraySync() as number[][][],
          );
          for (let k = 1; k < T; k++) {
            const cut = <D extends Int32Array | Float32Array>(t: {
              dtype: 'int32' | 'float32';
              shape: number[];
              data: D;
            }) => ({
              ...t,
              shape: [3, k],
              data: t.data.filter((_, i) => i % T < k) as D,
            });
            const prefix = {
              ...full,
              targetIn: cut(full.targetIn!),
              targetOut: cut(full.targetOut!),
              targetMask: cut(full.targetMask!),
            };
            const part = tf.tidy(
              () => model.forward(prefix, { training: false }).outputs.next!.arraySync() as number[][][],
            );
            part.forEach((rows, b) =>
              rows.forEach((row, t) => row.forEach((v, j) => expect(v).toBeCloseTo(whole[b]![t]![j]!, 6))),
            );
          }
        } finally {
          model.dispose();
        }
      },
    );
  }

  it(
    'attention rows sum to 1 and give exactly 0 to padded source steps; ' + 'every weight gets a gradient',
    () => {
      // An LSTM encoder, so the bridge's cell map has a cell state to carry.
      const model = compileGraph(graph({}, { score: 'additive', units: 8 }, 'lstm'), {
        task: 'seq2seq',
        seed: 5,
      });
      try {
        const batch = reversalBatch(4, 5, V, 3);
        const S = batch.source!.shape[1]!;
        const weights = tf.tidy(
          () =>
            model
              .forward(batch, { training: false })
              .outputs['attention/attention']!.arraySync() as number[][][],
        );
        weights.forEach((rows, b) =>
          rows.forEach((row) => {
            expect(row.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
            row.forEach((v, s) => {
              if (batch.sourceMask!.data[b * S + s] === 0) expect(v).toBe(0);
            });
          }),
        );
        expect(Array.from(batch.sourceMask!.data).some((v) => v === 0)).toBe(true);
        const { grads } = tf.variableGrads(
          () => model.forward(batch, { training: true }).loss,
          model.weights.map((w) => w.variable),
        );
        for (const w of model.weights) {
          const g = grads[w.variable.name];
          expect(g, w.name).toBeDefined();
          expect(
            tf.tidy(() => tf.sum(tf.abs(g!)).dataSync()[0]!),
            w.name,
          ).toBeGreaterThan(0);
        }
        tf.dispose(Object.values(grads));
      } finally {
        model.dispose();
      }
    },
  );
});
