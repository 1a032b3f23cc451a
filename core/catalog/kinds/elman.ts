// Elman RNN: the simple recurrent layer. Keras SimpleRNN layout.
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import {
  inferRecurrent,
  inputWidth,
  recurrentFields,
  recurrentInputs,
  recurrentOutputs,
  recurrentWeights,
} from '../recurrent.js';

export const elmanParams = z.strictObject({
  ...recurrentFields,
  activation: z.enum(['tanh', 'relu']).default('tanh'),
  /** Le, Jaitly & Hinton (2015): recurrent kernel starts as the identity, the IRNN recipe with relu. */
  identityInit: z.boolean().default(false),
});
export type ElmanParams = z.output<typeof elmanParams>;

export const elman: LayerKindDef<ElmanParams> = {
  kind: 'elman',
  title: 'Elman RNN',
  category: 'recurrent',
  formula: 'h = tanh(Wx + Uh + b)',
  doc: {
    what:
      'The simple recurrent network: one hidden state, updated from the input and the previous state ' +
      'at every step.',
    when:
      'Short dependencies, teaching, and seeing vanishing gradients happen. Use relu with identity ' +
      'initialisation for longer ones.',
    formula:
      'The new state is the activation (tanh or relu) of the input times W plus the previous state times ' +
      'U plus a bias.',
  },
  formulaFor: (p) => ({
    hint: `h = ${p.activation}(Wx + Uh + b)`,
    text:
      `The new state is ${p.activation} of the input times W plus the previous state times U plus a ` +
      `bias.`,
  }),
  params: elmanParams,
  inputs: recurrentInputs,
  outputs: recurrentOutputs,
  inferShapes: (p, inputs) => inferRecurrent(p, inputs, 'Elman RNN'),
  weights: (p, inputs) => recurrentWeights('elman', p.units, inputWidth(inputs)),
};
