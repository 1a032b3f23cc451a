// Dropout: zeroes a random fraction of features while training (scaled by 1/(1−rate)); identity otherwise.
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { first, missing, ok } from '../shapes.js';

export const dropoutParams = z.strictObject({
  rate: z.number().min(0).max(0.95).default(0.2),
  /** standard: a new mask at every step; variational: one mask per sequence, the same at every step. */
  mode: z.enum(['standard', 'variational']).default('standard'),
});
export type DropoutParams = z.output<typeof dropoutParams>;

export const dropout: LayerKindDef<DropoutParams> = {
  kind: 'dropout',
  title: 'Dropout',
  category: 'utilities',
  formula: 'x ⊙ mask / (1−p)',
  doc: {
    what:
      'Randomly zeroes features while training so the model cannot rely on any single one; does ' +
      'nothing when predicting.',
    when:
      'Against overfitting, between layers. Variational dropout uses the same mask at every time ' +
      'step, which suits recurrent models (Gal & Ghahramani 2016).',
    formula: 'Each feature is kept with probability 1 − rate and scaled by 1 / (1 − rate).',
  },
  params: dropoutParams,
  inputs: [{ name: 'in', accepts: ['sequence', 'vector', 'memory'], label: 'in' }],
  outputs: [{ name: 'out', kinds: ['sequence', 'vector', 'memory'], label: 'out' }],
  inferShapes(_p, inputs) {
    const input = first(inputs, 'in');
    return input ? ok({ out: input }) : missing('in');
  },
  weights: () => [],
};
