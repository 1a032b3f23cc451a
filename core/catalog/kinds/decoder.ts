// Decoder: the writing half of a sequence-to-sequence model. Starts from the encoder's state and reads the
// target shifted right (teacher forcing) while training; when generating, the engine feeds back its own
// predictions instead. A state of another width than `units` passes through a dense bridge (its weights
// appear here); with several layers, each starts from the encoder layer of the same depth when the
// counts match, else from the encoder's top layer (core/engine/seq2seq/bridge.ts).
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { INNER_TITLES, innerLayerSchema, type InnerLayer } from '../inner-layer.js';
import { inputWidth } from '../recurrent.js';
import { bridgeWeights, stackedWeights } from '../seq2seq-layout.js';
import {
  describe,
  fail,
  first,
  isResult,
  needSequence,
  ok,
  sequence,
  stateOf,
  timeDim,
  width,
} from '../shapes.js';

export const decoderParams = z.strictObject({
  layer: innerLayerSchema.prefault({ kind: 'lstm', params: {} }),
  layers: z.number().int().min(1).max(8).default(1),
  /** Probability of feeding the true previous token (1 = always, classic teacher forcing). */
  teacherForcing: z.number().min(0).max(1).default(1),
});
export type DecoderParams = { layer: InnerLayer; layers: number; teacherForcing: number };

export const decoder: LayerKindDef<DecoderParams> = {
  kind: 'decoder',
  title: 'Decoder',
  category: 'seq2seq',
  formula: 'h_t = RNN(y_{t−1}, h_{t−1}), h₀ = state',
  doc: {
    what:
      "A recurrent layer that starts from the encoder's final state and writes the target one token " +
      'at a time.',
    when:
      'With an Encoder. During training it reads the correct previous token (teacher forcing), or ' +
      'with teacher forcing below 1 sometimes its own prediction (scheduled sampling); when translating ' +
      'it reads its own last prediction.',
    formula:
      "Its initial state is the encoder's state (through h₀ = tanh(W h + b) when the sizes differ); each " +
      'step reads the embedded previous target token.',
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
      return fail(
        'decoder-without-state',
        `${title} has no encoder state. Wire an Encoder's "state" output into its "state" input.`,
        { port: 'state' },
      );
    }
    if (state.kind !== 'state' || typeof state.shape[1] !== 'number') {
      return fail(
        'state-mismatch',
        `${title} starts from a recurrent state [batch, units] but receives ${describe(state)}. Wire an ` +
          `Encoder's "state" output into it.`,
        { port: 'state' },
      );
    }
    return ok({ out: sequence(timeDim(input), units), state: stateOf(units, p.layer.kind === 'lstm') });
  },
  weights(p, inputs) {
    const state = first(inputs, 'state');
    // The cell bridge only where there is a cell state to map: an LSTM decoder after a GRU or Elman
    // encoder starts from c = 0 and has no weights for it.
    const bridge = state
      ? bridgeWeights(
          width(state) ?? p.layer.params.units,
          p.layer.params.units,
          p.layer.kind === 'lstm' && state.cell === true,
        )
      : [];
    return [...bridge, ...stackedWeights(p.layer, inputWidth(inputs), p.layers, false)];
  },
};
