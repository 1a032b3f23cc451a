// The studio's own engine on each config: the model as a studio graph compiled by the engine (as a
// template's is), one training step as a run takes it (core/training/step.ts: forward, backward,
// gradient report, the studio's Adam), on one engine or data-parallel on several (parallel.ts).
import type { Batch } from '../../../core/data/batch.js';
import { chainGraph, encoderDecoderGraph } from '../../../core/graph/build.js';
import { compileGraph } from '../../../core/engine/compile.js';
import type { StudioModel } from '../../../core/engine/types.js';
import {
  ClippingConfigSchema,
  OptimizerConfigSchema,
  type ClippingConfig,
} from '../../../core/training/config.js';
import { Optimizer } from '../../../core/training/optimizers.js';
import { trainBatch } from '../../../core/training/step.js';
import { type BenchConfig, randomInts } from './configs.js';

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

/** The config's model (a compiled studio graph) and its one seeded batch. */
export function benchModel(c: BenchConfig): { model: StudioModel; batch: Batch } {
  switch (c.name) {
    case 'lm-lstm':
      return {
        model: compileGraph(
          chainGraph([
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
          chainGraph([
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
          chainGraph([
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
      // As the templates draw it (date translation, digit addition): encoder and decoder blocks, Luong
      // dot attention over the encoder's memory, [decoder; context] → tanh dense → head.
      const gru = { kind: 'gru', params: { units: c.H, resetAfter: true } };
      const graph = encoderDecoderGraph({
        vocabulary: c.V,
        dimension: c.E!,
        encoder: { layer: gru },
        decoder: { layer: gru },
        attention: { score: 'dot' },
        combine: c.H,
      });
      return {
        model: compileGraph(graph, { task: 'seq2seq' }),
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

/** Adam at PyTorch's defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8), as the PyTorch script uses. */
export const benchOptimizer = () =>
  new Optimizer(OptimizerConfigSchema.parse({ kind: 'adam', learningRate: 1e-3 }));
/** No clipping: the PyTorch script clips nothing. */
export const benchClipping: ClippingConfig = ClippingConfigSchema.parse({ kind: 'none' });

/** One training step on one engine, as a run with one worker takes it; and a disposer. */
export function oursStep(c: BenchConfig): { step: () => Promise<void>; dispose: () => void } {
  const { model, batch } = benchModel(c);
  const optimizer = benchOptimizer();
  return {
    step: async () => {
      const result = await trainBatch(model, batch, optimizer, 1e-3, benchClipping, 0);
      if (result.nonFinite) throw new Error(`bench ${c.name}: the loss or a gradient is not finite`);
    },
    dispose: () => {
      optimizer.dispose();
      model.dispose();
    },
  };
}
