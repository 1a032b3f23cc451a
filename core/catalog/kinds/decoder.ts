// Decoder: the writing half of a sequence-to-sequence model. Starts from the encoder's state and reads the
// target shifted right (teacher forcing) while training; when generating, the engine feeds back its own
// predictions instead.
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { INNER_TITLES, innerLayerSchema, innerWeights, type InnerLayer } from '../inner-layer.js';
import { inputWidth } from '../recurrent.js';
import { describe, fail, first, isResult, needSequence, ok, sequence, timeDim } from '../shapes.js';

export const decoderParams = z.strictObject({
  layer: innerLayerSchema.prefault({ kind: 'lstm', params: {} }),
  /** Probability of feeding the true previous token (1 = always, classic teacher forcing). */
  teacherForcing: z.number().min(0).max(1).default(1),
});
export type DecoderParams = { layer: InnerLayer; teacherForcing: number };

export const decoder: LayerKindDef<DecoderParams> = {
  kind: 'decoder',
  title: 'Decoder',
  category: 'seq2seq',
  formula: 'h_t = RNN(y_{t−1}, h_{t−1}), h₀ = state',
  doc: {
    what: 'A recurrent layer that starts from the encoder\'s final state and writes the target one token at a time.',
    when: 'With an Encoder. During training it reads the correct previous token (teacher forcing); when translating it reads its own last prediction.',
    formula: 'Its initial state is the encoder\'s state; each step reads the embedded previous target token.',
  },
  params: decoderParams as z.ZodType<DecoderParams>,
  inputs: [
    { name: 'in', accepts: ['sequence'], label: 'target' },
    { name: 'state', accepts: ['state'], label: 'state' },
  ],
  outputs: [
    { name: 'out', kinds: ['sequence'], label: 'sequence' },
    { name: 'state', kinds: ['state'], label: 'state' },
  ],
  inferShapes(p, inputs) {
    const title = `Decoder (${INNER_TITLES[p.layer.kind]})`;
    const input = needSequence(inputs, 'in', title);
    if (isResult(input)) return input;
    const units = p.layer.params.units;
    const state = first(inputs, 'state');
    if (!state) {
      return fail('decoder-without-state', `${title} has no encoder state. Wire an Encoder's "state" output into its "state" input.`, { port: 'state' });
    }
    if (state.kind !== 'state' || state.shape[1] !== units) {
      return fail(
        'state-mismatch',
        `${title} has ${units} units but its initial state is ${describe(state)}. Give the encoder and the decoder the same number of units.`,
        { port: 'state', field: 'layer.params.units' },
      );
    }
    return ok({ out: sequence(timeDim(input), units), state: { kind: 'state', shape: ['batch', units] } });
  },
  weights: (p, inputs) => innerWeights(p.layer, inputWidth(inputs)),
};
