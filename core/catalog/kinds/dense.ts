// Dense / time-distributed dense: y = act(xW + b), per time step on sequences (Keras `Dense` layout).
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { inferLinear, linearWeights } from '../dense-like.js';

export const denseParams = z.strictObject({
  units: z.number().int().min(1).max(1_000_000).default(64),
  activation: z.enum(['linear', 'tanh', 'relu', 'sigmoid', 'gelu']).default('tanh'),
});
export type DenseParams = z.output<typeof denseParams>;

export const dense: LayerKindDef<DenseParams> = {
  kind: 'dense',
  title: 'Dense',
  category: 'pooling-heads',
  formula: 'y = act(Wx + b)',
  doc: {
    what:
      'A fully connected layer. On a sequence it is applied at every time step with the same weights ' +
      '(time-distributed).',
    when:
      'To change the width between blocks, to combine a decoder output with its attention context ' +
      "(Luong's tanh layer), or as a hidden layer before a head.",
    formula: 'Each output is the activation of a weighted sum of the inputs plus a bias.',
  },
  formulaFor: (p) => ({
    hint: p.activation === 'linear' ? 'y = Wx + b' : `y = ${p.activation}(Wx + b)`,
    text:
      `Each output is ` +
      (p.activation === 'linear' ? 'a weighted sum' : `${p.activation} of a weighted sum`) +
      ' of the inputs plus a bias.',
  }),
  params: denseParams,
  inputs: [{ name: 'in', accepts: ['sequence', 'vector', 'memory'], label: 'in' }],
  outputs: [{ name: 'out', kinds: ['sequence', 'vector'], label: 'out' }],
  inferShapes: (p, inputs) => inferLinear(p.units, inputs, 'Dense'),
  weights: (p, inputs) => linearWeights(p.units, inputs),
};
