// Head: the model's output layer, a dense layer with the activation that matches the task's loss.
// Where the loss attaches; its units must equal classes, tags, vocabulary or targets (core/data/tasks.ts).
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { inferLinear, linearWeights } from '../dense-like.js';

export const headParams = z.strictObject({
  activation: z.enum(['softmax', 'sigmoid', 'linear']).default('softmax'),
  units: z.number().int().min(1).max(1_000_000).default(2),
});
export type HeadParams = z.output<typeof headParams>;

export const head: LayerKindDef<HeadParams> = {
  kind: 'head',
  title: 'Output head',
  category: 'pooling-heads',
  formula: 'ŷ = softmax(Wx + b)',
  doc: {
    what:
      'The output of the model: a dense layer with softmax (one class or token out of many), sigmoid ' +
      '(yes/no per unit) or linear (numbers).',
    when:
      'Every model ends in one. On a vector it predicts once per sequence; on a sequence, once per ' +
      'step (tagging, language models, decoders).',
    formula:
      'softmax turns the scores into probabilities that sum to 1; sigmoid squashes each to 0…1; linear ' +
      'leaves them as they are.',
  },
  formulaFor: (p) => ({
    hint: p.activation === 'linear' ? 'ŷ = Wx + b' : `ŷ = ${p.activation}(Wx + b)`,
    text: {
      softmax: 'softmax turns the scores into probabilities that sum to 1 (one class or token out of many).',
      sigmoid: 'sigmoid squashes each score to 0…1 (an independent yes/no per output).',
      linear: 'The scores are the prediction as they are (regression).',
    }[p.activation],
  }),
  params: headParams,
  inputs: [{ name: 'in', accepts: ['sequence', 'vector'], label: 'in' }],
  outputs: [{ name: 'out', kinds: ['sequence', 'vector'], label: 'prediction' }],
  inferShapes: (p, inputs) => inferLinear(p.units, inputs, 'Output head'),
  weights: (p, inputs) => linearWeights(p.units, inputs),
};
