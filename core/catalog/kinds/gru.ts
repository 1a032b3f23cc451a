// GRU (Cho et al. 2014). Keras layout, gates z, r, h; resetAfter chooses where the reset gate applies.
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

export const gruParams = z.strictObject({
  ...recurrentFields,
  /**
   * true: reset gate applied after the recurrent matmul (PyTorch/cuDNN placement, bias [2, 3H]);
   * false: applied to h before it (Cho's original placement, bias [3H]).
   */
  resetAfter: z.boolean().default(true),
});
export type GruParams = z.output<typeof gruParams>;

export const gru: LayerKindDef<GruParams> = {
  kind: 'gru',
  title: 'GRU',
  category: 'recurrent',
  formula: 'h = z⊙h + (1−z)⊙tanh(Wx + U(r⊙h) + b)',
  doc: {
    what:
      'Gated recurrent unit: an update gate blends the old state with a candidate, a reset gate ' +
      'decides how much of the old state the candidate sees.',
    when: 'Like an LSTM with fewer weights and no separate cell; often as good on small data.',
    formula:
      'Update and reset gates are sigmoids; the candidate is tanh of the input plus the reset-gated ' +
      'previous state; the new state mixes old and candidate by the update gate.',
  },
  params: gruParams,
  inputs: recurrentInputs,
  outputs: recurrentOutputs,
  inferShapes: (p, inputs) => inferRecurrent(p, inputs, 'GRU'),
  weights: (p, inputs) => recurrentWeights('gru', p.units, inputWidth(inputs), p.resetAfter),
};
