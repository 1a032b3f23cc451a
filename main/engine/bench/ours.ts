// One training step of the studio's own engine (compiled graph + fused recurrent ops + the studio's Adam,
// core/training/optimizers.ts, the optimizer a run trains with) per config.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../../../core/data/batch.js';
import type { Graph } from '../../../core/graph/types.js';
import { compileGraph } from '../../../core/engine/compile.js';
import { createSeq2SeqModel } from '../../../core/engine/seq2seq/model.js';
import type { StudioModel } from '../../../core/engine/types.js';
import { OptimizerConfigSchema } from '../../../core/training/config.js';
import { Optimizer } from '../../../core/training/optimizers.js';
import { type BenchConfig, randomInts } from './configs.js';

function chain(nodes: [string, string, Record<string, unknown>][]): Graph {
  return {
    nodes: nodes.map(([id, kind, params]) => ({ id, kind, params })),
    edges: nodes.slice(1).map(([id], i) => ({
      id: `e${i}`,
      from: { node: nodes[i]![0], port: 'out' },
      to: { node: id, port: 'in' },
    })),
  };
}

const ints = (shape: number[], n: number, seed: number) => ({
  dtype: 'int32' as const,
  shape,
  data: randomInts(
    shape.reduce((a, b) => a * b, 1),
    n,
    seed,
  ),
});
const ones = (shape: number[]) => ({
  dtype: 'float32' as const,
  shape,
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1),
});

/** Token ids avoid 0 (padding) so every step is real, like the PyTorch batches. */
function tokens(shape: number[], V: number, seed: number) {
  const t = ints(shape, V - 1, seed);
  t.data = t.data.map((v) => v + 1);
  return t;
}

function build(c: BenchConfig): { model: StudioModel; batch: Batch } {
  switch (c.name) {
    case 'lm-lstm':
      return {
        model: compileGraph(
          chain([
            ['tokens', 'input', { role: 'tokens' }],
            ['onehot', 'embedding', { vocabularySize: c.V, oneHot: true }],
            ['lstm', 'lstm', { units: c.H }],
            ['next', 'head', { units: c.V }],
          ]),
          { task: 'language-model' },
        ),
        batch: {
          tokens: tokens([c.B, c.T], c.V, 1),
          mask: ones([c.B, c.T]),
          labels: ints([c.B, c.T], c.V, 2),
        },
      };
    case 'cls-gru':
      return {
        model: compileGraph(
          chain([
            ['tokens', 'input', { role: 'tokens' }],
            ['embed', 'embedding', { vocabularySize: c.V, dimension: c.E }],
            ['gru', 'gru', { units: c.H, returnSequences: false }],
            ['label', 'head', { units: c.C }],
          ]),
          { task: 'classification' },
        ),
        batch: { tokens: tokens([c.B, c.T], c.V, 1), mask: ones([c.B, c.T]), labels: ints([c.B], c.C!, 2) },
      };
    case 'tag-bilstm':
      return {
        model: compileGraph(
          chain([
            ['tokens', 'input', { role: 'tokens' }],
            ['embed', 'embedding', { vocabularySize: c.V, dimension: c.E }],
            ['bilstm', 'bidirectional', { merge: 'concat', layer: { kind: 'lstm', params: { units: c.H } } }],
            ['tags', 'head', { units: c.C }],
          ]),
          { task: 'tagging' },
        ),
        batch: {
          tokens: tokens([c.B, c.T], c.V, 1),
          mask: ones([c.B, c.T]),
          labels: ints([c.B, c.T], c.C!, 2),
        },
      };
    case 's2s-attn': {
      const cell = { kind: 'gru' as const, units: c.H, resetAfter: true };
      const model = createSeq2SeqModel({
        node: 's2s',
        sourceVocabulary: c.V,
        targetVocabulary: c.V,
        embedding: c.E!,
        encoder: { cell, layers: 1, bidirectional: false },
        decoder: { cell, layers: 1, attention: 'luong-dot', attentionUnits: c.H },
        teacherForcing: 1,
        seed: 1,
      });
      return {
        model,
        batch: {
          source: tokens([c.B, c.S!], c.V, 1),
          sourceMask: ones([c.B, c.S!]),
          targetIn: tokens([c.B, c.T], c.V, 2),
          targetOut: tokens([c.B, c.T], c.V, 3),
          targetMask: ones([c.B, c.T]),
        },
      };
    }
  }
}

/** Returns a function running one forward + backward + Adam step, and a disposer. */
export function oursStep(c: BenchConfig): { step: () => void; dispose: () => void } {
  const { model, batch } = build(c);
  // Adam at PyTorch's defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8), as the PyTorch script and the
  // tfjs-layers side (tf.train.adam) use. Variables are named by their weight, so the gradients map 1:1.
  const optimizer = new Optimizer(OptimizerConfigSchema.parse({ kind: 'adam', learningRate: 1e-3 }));
  const vars = model.weights.map((w) => w.variable);
  const unnamed = model.weights.filter((w) => w.variable.name !== w.name);
  if (unnamed.length > 0) throw new Error(`bench ${c.name}: variables not named by their weight: ${unnamed.map((w) => w.name).join(', ')}`);
  return {
    step: () => {
      const { value, grads } = tf.variableGrads(() => model.forward(batch, { training: true }).loss, vars);
      optimizer.apply(model.weights, grads, 1e-3);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    },
    dispose: () => {
      optimizer.dispose();
      model.dispose();
    },
  };
}
