// Pooling over time: one vector per sequence from a sequence, ignoring padding steps.
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { isResult, needSequence, ok, timeDim, vector, width } from '../shapes.js';

export const poolingParams = z.strictObject({
  mode: z.enum(['last', 'mean', 'max', 'attention']).default('last'),
  /** Size of the attention scorer's hidden layer (attention only). */
  units: z.number().int().min(1).max(4096).default(32),
});
export type PoolingParams = z.output<typeof poolingParams>;

const POOLING_FORMULAS: Record<PoolingParams['mode'], { hint: string; text: string }> = {
  last: { hint: 'v = h_T', text: 'v is the output at the last real (not padding) step.' },
  mean: { hint: 'v = (1/T) Σ_t h_t', text: 'v is the average of the outputs over the real steps.' },
  max: { hint: 'v = max_t h_t', text: 'Each feature of v is its largest value over the real steps.' },
  attention: {
    hint: 'v = Σ_t α_t h_t',
    text: 'α = softmax(wᵀ tanh(W h_t + b)) over the real steps; v = Σ α_t h_t.',
  },
};

export const pooling: LayerKindDef<PoolingParams> = {
  kind: 'pooling',
  title: 'Pooling over time',
  category: 'pooling-heads',
  formula: 'v = Σ_t α_t h_t',
  doc: {
    what:
      'Summarises a sequence as one vector: the last real step, the mean or maximum over steps, or a ' +
      'learned attention-weighted sum.',
    when:
      'Before a classification or regression head. Attention pooling also shows which tokens the ' +
      'decision rests on.',
    formula:
      'last: h at the last real step; mean/max over real steps; attention: α = softmax(wᵀ tanh(W h_t + ' +
      'b)), v = Σ α_t h_t.',
  },
  formulaFor: (p) => POOLING_FORMULAS[p.mode],
  params: poolingParams,
  inputs: [{ name: 'in', accepts: ['sequence', 'memory'], label: 'sequence' }],
  outputs: [
    { name: 'out', kinds: ['vector'], label: 'vector' },
    { name: 'weights', kinds: ['weights'], label: 'weights' },
  ],
  inferShapes(p, inputs) {
    const input = needSequence(inputs, 'in', 'Pooling');
    if (isResult(input)) return input;
    const out = vector(width(input) ?? 0);
    return ok(
      p.mode === 'attention'
        ? { out, weights: { kind: 'weights', shape: ['batch', timeDim(input)] } }
        : { out },
    );
  },
  weights(p, inputs) {
    if (p.mode !== 'attention') return [];
    const f = width(inputs.in?.[0] ?? { kind: 'sequence', shape: [] }) ?? 0;
    return [
      { name: 'kernel', shape: [f, p.units] },
      { name: 'bias', shape: [p.units] },
      { name: 'score_vector', shape: [p.units] },
    ];
  },
};
