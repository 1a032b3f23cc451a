// Encoder: reads the whole source sequence with one recurrent layer and hands on two things: every step's
// output (the memory attention looks at) and the final state (the decoder's starting state). The inner
// layer's returnSequences is ignored: the memory is always the full sequence.
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { INNER_TITLES, innerLayerSchema, innerWeights, type InnerLayer } from '../inner-layer.js';
import { inputWidth } from '../recurrent.js';
import { isResult, needSequence, ok, sequence, timeDim } from '../shapes.js';

export const encoderParams = z.strictObject({
  layer: innerLayerSchema.prefault({ kind: 'lstm', params: {} }),
});
export type EncoderParams = { layer: InnerLayer };

export const encoder: LayerKindDef<EncoderParams> = {
  kind: 'encoder',
  title: 'Encoder',
  category: 'seq2seq',
  formula: 'memory, state = RNN(source)',
  doc: {
    what: 'The reading half of a sequence-to-sequence model: a recurrent layer over the source that outputs its states at every step (memory) and its last state.',
    when: 'Translation-like tasks: the source is read fully before the target is written. Wire its state into a Decoder and its memory into an Attention block.',
    formula: 'Runs the chosen cell over the embedded source; memory = all its states, state = the final one.',
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
    const units = p.layer.params.units;
    return ok({ memory: sequence(timeDim(input), units, 'memory'), state: { kind: 'state', shape: ['batch', units] } });
  },
  weights: (p, inputs) => innerWeights(p.layer, inputWidth(inputs)),
};
