// The sequence-model block builders inside the graph compiler: the shipped templates that use them
// (date translation with attention, state-space on the adding problem) and a self-attention classifier
// compile, give attention outputs of the right shapes, and train.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../../../../../core/data/batch.js';
import type { Graph } from '../../../../../core/graph/types.js';
import { BUILDERS } from '../../../../../core/engine/blocks/index.js';
import { compileGraph } from '../../../../../core/engine/compile.js';
import type { StudioModel } from '../../../../../core/engine/types.js';
import { SEQUENCE_MODEL_BUILDERS } from '../../../../../core/engine/seq2seq/blocks.js';
import { planModel } from '../../../../../main/export/plan.js';
import { evaluatePlan } from '../../../../oracle/evaluatePlan.js';
import { reversalBatch, useCpu } from './helpers.js';

beforeAll(async () => {
  await useCpu();
  // compile.ts must know every sequence-model kind (registered in core/engine/blocks/index.ts)
  for (const kind of Object.keys(SEQUENCE_MODEL_BUILDERS))
    expect(BUILDERS[kind], kind).toBe(SEQUENCE_MODEL_BUILDERS[kind]);
});

function template(name: string): Graph {
  const file = fileURLToPath(new URL(`../../../../../resources/templates/${name}.json`, import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { graph: Graph }).graph;
}

function train(model: StudioModel, batch: Batch, steps: number, rate = 0.01): number[] {
  const optimizer = tf.train.adam(rate);
  const vars = model.weights.map((w) => w.variable);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => model.forward(batch, { training: true }).loss, vars);
      losses.push(value.dataSync()[0]!);
      optimizer.applyGradients(grads as Record<string, tf.Variable>);
    });
  }
  return losses;
}

describe('sequence-model blocks in compiled graphs', () => {
  it('date-translation template: attention [B,T,S] as a model output, zero on padded sources; trains', () => {
    const model = compileGraph(template('date-translation'), { task: 'seq2seq', seed: 1 });
    const batch = reversalBatch(4, 5, 12, 3);
    const r = model.forward(batch, { training: false });
    const att = r.outputs['attention/attention']!;
    expect(att.shape).toEqual([4, 6, 5]);
    const w = att.arraySync() as number[][][];
    const src = batch.sourceMask!.data;
    w.forEach((rows, b) =>
      rows.forEach((row) => row.forEach((v, s) => src[b * 5 + s] === 0 && expect(v).toBe(0))),
    );
    const losses = train(model, batch, 10, 0.02);
    expect(losses[9]!).toBeLessThan(losses[0]! * 0.8);
    model.dispose();
  });

  it('state-space template (adding problem, regression) trains', () => {
    const model = compileGraph(template('state-space'), { task: 'regression', seed: 2 });
    const B = 8,
      T = 12;
    const features = new Float32Array(B * T * 2);
    const targets = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      const marks = [(b * 3) % T, (b * 5 + 7) % T === (b * 3) % T ? (b * 3 + 1) % T : (b * 5 + 7) % T];
      for (let t = 0; t < T; t++) {
        const v = Math.sin(b * 7 + t * 3) * 0.5 + 0.5;
        features[(b * T + t) * 2] = v;
        if (marks.includes(t)) {
          features[(b * T + t) * 2 + 1] = 1;
          targets[b]! += v;
        }
      }
    }
    const batch: Batch = {
      features: { dtype: 'float32', shape: [B, T, 2], data: features },
      mask: { dtype: 'float32', shape: [B, T], data: new Float32Array(B * T).fill(1) },
      targets: { dtype: 'float32', shape: [B, 1], data: targets },
    };
    const losses = train(model, batch, 20);
    expect(losses[19]!).toBeLessThan(losses[0]! * 0.5);
    model.dispose();
  });

  it(
    'self-attention classifier: per-head weights [B,H,T,T] (as the ' +
      'inference evaluator gives them), causal rows see no future',
    () => {
      const graph: Graph = {
        nodes: [
          { id: 'tokens', kind: 'input', params: { role: 'tokens' } },
          { id: 'embed', kind: 'embedding', params: { vocabularySize: 10, dimension: 8 } },
          {
            id: 'attend',
            kind: 'self-attention',
            params: {
              heads: 2,
              feedForward: 16,
              dropout: 0,
              causal: true,
              positionalEncoding: 'learned',
              maxLength: 16,
            },
          },
          { id: 'pool', kind: 'pooling', params: { mode: 'mean' } },
          { id: 'label', kind: 'head', params: { activation: 'softmax', units: 2 } },
        ],
        edges: [
          { id: 'e1', from: { node: 'tokens', port: 'out' }, to: { node: 'embed', port: 'in' } },
          { id: 'e2', from: { node: 'embed', port: 'out' }, to: { node: 'attend', port: 'in' } },
          { id: 'e3', from: { node: 'attend', port: 'out' }, to: { node: 'pool', port: 'in' } },
          { id: 'e4', from: { node: 'pool', port: 'out' }, to: { node: 'label', port: 'in' } },
        ],
      };
      const model = compileGraph(graph, { task: 'classification', seed: 4 });
      const B = 4,
        T = 6;
      const tokens = Int32Array.from({ length: B * T }, (_, i) => 1 + ((i * 7) % 9));
      const batch: Batch = {
        tokens: { dtype: 'int32', shape: [B, T], data: tokens },
        mask: { dtype: 'float32', shape: [B, T], data: new Float32Array(B * T).fill(1) },
        labels: { dtype: 'int32', shape: [B], data: Int32Array.from([0, 1, 1, 0]) },
      };
      const att = model.forward(batch, { training: false }).outputs['attend/attention']!;
      expect(att.shape).toEqual([B, 2, T, T]);
      const heads = (att.arraySync() as number[][][][])[0]!;
      for (const head of heads) {
        head.forEach((row, q) => {
          expect(row.slice(q + 1).every((v) => v === 0)).toBe(true);
          expect(Math.abs(row.reduce((a, v) => a + v, 0) - 1)).toBeLessThan(1e-5);
        });
      }
      // Two heads, two different maps (an average would hide that).
      expect(heads[0]!.flat().some((v, i) => Math.abs(v - heads[1]!.flat()[i]!) > 1e-4)).toBe(true);
      // The inference evaluator (playground) gives the same per-head maps from the same weights.
      const values = Object.fromEntries(
        model.weights.map((w) => [
          w.name,
          { data: w.variable.dataSync() as Float32Array, shape: [...w.variable.shape] },
        ]),
      );
      const inference = evaluatePlan(planModel(graph), values, batch).outputs['attend/attention']!;
      expect(inference.shape).toEqual([B, 2, T, T]);
      expect(tf.max(tf.abs(tf.sub(inference, att))).dataSync()[0]!).toBeLessThan(1e-6);
      const losses = train(model, batch, 30);
      expect(losses[29]!).toBeLessThan(losses[0]! * 0.5);
      model.dispose();
    },
  );
});
