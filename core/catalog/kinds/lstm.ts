// LSTM (Hochreiter & Schmidhuber 1997, with forget gate). Keras layout, gates i, f, c, o.
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

export const lstmParams = z.strictObject({
  ...recurrentFields,
  /** Forget-gate bias starts at 1 (Jozefowicz et al. 2015), so memory is kept early in training. */
  unitForgetBias: z.boolean().default(true),
  /**
   * Chrono initialisation (Tallec & Ollivier 2018, "Can recurrent neural networks warp time?"): the longest
   * delay, in steps, the layer should be able to carry a value over from the first update. 0 = off. When
   * set (≥ 3), forget-gate biases start at log(u), u uniform in [1, chronoMaxDelay − 1], and input-gate
   * biases at minus that, so the units' memory spans cover 1 … chronoMaxDelay steps; this replaces
   * unitForgetBias (which only applies when chronoMaxDelay is 0). It is what lets an LSTM learn the
   * copy task over long delays in a few thousand steps instead of tens of thousands.
   */
  chronoMaxDelay: z
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .refine(
      (v) => v === 0 || v >= 3,
      'must be 0 (off) or at least 3 steps: log(u), u in [1, T − 1], needs T − 1 > 1',
    )
    .default(0),
});
export type LstmParams = z.output<typeof lstmParams>;

export const lstm: LayerKindDef<LstmParams> = {
  kind: 'lstm',
  title: 'LSTM',
  category: 'recurrent',
  formula: 'c = f⊙c + i⊙tanh(Wx + Uh + b)',
  doc: {
    what:
      'Long short-term memory: a cell state carried along the sequence, written and erased through ' +
      'input, forget and output gates.',
    when:
      'The default choice when dependencies span tens to hundreds of steps: language models, ' +
      'classifiers, taggers, encoders. For a known long delay (a value to hold for T steps), set ' +
      'chronoMaxDelay to about T.',
    formula:
      'Gates are sigmoids of input and previous state; the cell keeps forget × old cell plus input gate ' +
      '× a tanh candidate; the state is output gate × tanh(cell).',
  },
  params: lstmParams,
  inputs: recurrentInputs,
  outputs: recurrentOutputs,
  inferShapes: (p, inputs) => inferRecurrent(p, inputs, 'LSTM', true),
  weights: (p, inputs) => recurrentWeights('lstm', p.units, inputWidth(inputs)),
};
