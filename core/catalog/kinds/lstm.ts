// LSTM (Hochreiter & Schmidhuber 1997, with forget gate). Keras layout, gates i, f, c, o.
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { inferRecurrent, inputWidth, recurrentFields, recurrentInputs, recurrentOutputs, recurrentWeights } from '../recurrent.js';

export const lstmParams = z.strictObject({
  ...recurrentFields,
  /** Forget-gate bias starts at 1 (Jozefowicz et al. 2015), so memory is kept early in training. */
  unitForgetBias: z.boolean().default(true),
});
export type LstmParams = z.output<typeof lstmParams>;

export const lstm: LayerKindDef<LstmParams> = {
  kind: 'lstm',
  title: 'LSTM',
  category: 'recurrent',
  formula: 'c = f⊙c + i⊙tanh(Wx + Uh + b)',
  doc: {
    what: 'Long short-term memory: a cell state carried along the sequence, written and erased through input, forget and output gates.',
    when: 'The default choice when dependencies span tens to hundreds of steps: language models, classifiers, taggers, encoders.',
    formula: 'Gates are sigmoids of input and previous state; the cell keeps forget × old cell plus input gate × a tanh candidate; the state is output gate × tanh(cell).',
  },
  params: lstmParams,
  inputs: recurrentInputs,
  outputs: recurrentOutputs,
  inferShapes: (p, inputs) => inferRecurrent(p, inputs, 'LSTM'),
  weights: (p, inputs) => recurrentWeights('lstm', p.units, inputWidth(inputs)),
};
