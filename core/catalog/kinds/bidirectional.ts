// Bidirectional wrapper: the same recurrent layer run forwards and backwards, outputs merged per step.
// Weights `forward/…` and `backward/…`, each in its cell's Keras layout (as Keras' Bidirectional names
// them).
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { INNER_TITLES, innerLayerSchema, innerWeights, type InnerLayer } from '../inner-layer.js';
import { inputWidth, recurrentInputs } from '../recurrent.js';
import { isResult, needSequence, ok, prefixed, sequence, timeDim, vector } from '../shapes.js';

export const bidirectionalParams = z.strictObject({
  merge: z.enum(['concat', 'sum', 'average', 'multiply']).default('concat'),
  layer: innerLayerSchema.prefault({ kind: 'lstm', params: {} }),
});
export type BidirectionalParams = { merge: 'concat' | 'sum' | 'average' | 'multiply'; layer: InnerLayer };

export const bidirectional: LayerKindDef<BidirectionalParams> = {
  kind: 'bidirectional',
  title: 'Bidirectional',
  category: 'wrappers',
  formula: 'h = [→h ; ←h]',
  doc: {
    what:
      'Runs the recurrent layer it holds twice, left to right and right to left, and merges the two ' +
      'outputs at each step.',
    when:
      'Whenever the whole sequence is known before predicting: tagging, classification, encoders. ' +
      'Not for language models, which must not see the future.',
    formula:
      'Each step gets the forward state (from the past) and the backward state (from the future), ' +
      'concatenated, summed, averaged or multiplied.',
  },
  formulaFor: (p) => ({
    hint: {
      concat: 'h = [→h ; ←h]',
      sum: 'h = →h + ←h',
      average: 'h = (→h + ←h) / 2',
      multiply: 'h = →h ⊙ ←h',
    }[p.merge],
    text:
      `Each step gets the forward state (from the past) and the backward state (from the future), ` +
      {
        concat: 'side by side (twice the width)',
        sum: 'summed',
        average: 'averaged',
        multiply: 'multiplied element by element',
      }[p.merge] +
      '.',
  }),
  params: bidirectionalParams as z.ZodType<BidirectionalParams>,
  inputs: recurrentInputs,
  outputs: [{ name: 'out', kinds: ['sequence', 'vector'], label: 'sequence' }],
  inferShapes(p, inputs) {
    const input = needSequence(inputs, 'in', `Bidirectional ${INNER_TITLES[p.layer.kind]}`);
    if (isResult(input)) return input;
    const units = p.layer.params.units * (p.merge === 'concat' ? 2 : 1);
    return ok({ out: p.layer.params.returnSequences ? sequence(timeDim(input), units) : vector(units) });
  },
  weights(p, inputs) {
    const inner = innerWeights(p.layer, inputWidth(inputs));
    return [...prefixed('forward', inner), ...prefixed('backward', inner)];
  },
};
