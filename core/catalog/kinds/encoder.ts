// Encoder: reads the whole source sequence with a recurrent stack (one layer or several, optionally
// bidirectional) and hands on two things: every step of the top layer (the memory attention looks at)
// and the final state (the decoder's starting state; bidirectional: both directions concatenated). The
// inner layer's returnSequences is ignored: the memory is always the full sequence.
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { INNER_TITLES, innerLayerSchema, type InnerLayer } from '../inner-layer.js';
import { inputWidth } from '../recurrent.js';
import { stackedWeights } from '../seq2seq-layout.js';
import { isResult, needSequence, ok, sequence, stateOf, timeDim } from '../shapes.js';

export const encoderParams = z.strictObject({
  layer: innerLayerSchema.prefault({ kind: 'lstm', params: {} }),
  /** Layers stacked, each reading the sequence the one below writes; the decoder starts from their states. */
  layers: z.number().int().min(1).max(8).default(1),
  /** Read the source both ways: memory and state are 2·units wide (the decoder bridges them if needed). */
  bidirectional: z.boolean().default(false),
});
export type EncoderParams = { layer: InnerLayer; layers: number; bidirectional: boolean };

export const encoder: LayerKindDef<EncoderParams> = {
  kind: 'encoder',
  title: 'Encoder',
  category: 'seq2seq',
  formula: 'memory, state = RNN(source)',
  doc: {
    what:
      'The reading half of a sequence-to-sequence model: a recurrent stack over the source that ' +
      'outputs its states at every step (memory) and its last state.',
    when:
      'Translation-like tasks: the source is read fully before the target is written. Wire its state ' +
      'into a Decoder and its memory into an Attention block. Bidirectional lets every source step know ' +
      'what comes after it.',
    formula:
      'Runs the chosen cell (layers deep, both ways when bidirectional) over the embedded source; memory ' +
      "= the top layer's states, state = each layer's final one.",
  },
  params: encoderParams as z.ZodType<EncoderParams>,
  inputs: [{ name: 'in', accepts: ['sequence'], label: 'source' }],
  outputs: [
    { name: 'memory', kinds: ['memory'], label: 'memory' },
    { name: 'state', kinds: ['state'], label: 'state' },
  ],
  inferShapes(p, inputs) {
    const input = needSequence(inputs, 'in', `Encoder (${INNER_TITLES[p.layer.kind]})`);
    if (isResult(input)) return input;
    const units = p.layer.params.units * (p.bidirectional ? 2 : 1);
    return ok({
      memory: sequence(timeDim(input), units, 'memory'),
      state: stateOf(units, p.layer.kind === 'lstm'),
    });
  },
  weights: (p, inputs) => stackedWeights(p.layer, inputWidth(inputs), p.layers, p.bidirectional),
};
