// Stack: N copies of one recurrent layer, each reading the previous one's sequence. Weights `layer1/…`,
// `layer2/…`. Layers before the last always return sequences; the last follows the inner layer's
// returnSequences. With `residual`, every layer after the first adds its input to its output (the widths
// match there: all are `units` wide).
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { INNER_TITLES, innerLayerSchema, innerWeights, type InnerLayer } from '../inner-layer.js';
import { inputWidth, recurrentInputs, recurrentOutputs } from '../recurrent.js';
import { isResult, needSequence, ok, prefixed, sequence, stateOf, timeDim, vector } from '../shapes.js';

export const stackParams = z.strictObject({
  layers: z.number().int().min(1).max(16).default(2),
  residual: z.boolean().default(false),
  /** Dropout on the sequence passed from one layer to the next. */
  dropout: z.number().min(0).max(0.95).default(0),
  layer: innerLayerSchema.prefault({ kind: 'lstm', params: {} }),
});
export type StackParams = { layers: number; residual: boolean; dropout: number; layer: InnerLayer };

export const stack: LayerKindDef<StackParams> = {
  kind: 'stack',
  title: 'Stack',
  category: 'wrappers',
  formula: 'h⁽ˡ⁾ = cell(h⁽ˡ⁻¹⁾)',
  doc: {
    what:
      'Several layers of the same recurrent cell on top of each other; each reads the sequence the ' +
      'one below writes.',
    when:
      'When one layer is not enough capacity. Two or three layers are common; add dropout between ' +
      'them, and residual connections for deeper stacks.',
    formula:
      'Layer l reads the output sequence of layer l−1 (with dropout in between, and plus its input when ' +
      'residual is on).',
  },
  params: stackParams as z.ZodType<StackParams>,
  inputs: recurrentInputs,
  outputs: recurrentOutputs,
  inferShapes(p, inputs) {
    const input = needSequence(inputs, 'in', `Stack of ${INNER_TITLES[p.layer.kind]}`);
    if (isResult(input)) return input;
    const units = p.layer.params.units;
    const out = p.layer.params.returnSequences ? sequence(timeDim(input), units) : vector(units);
    return ok({ out, state: stateOf(units, p.layer.kind === 'lstm') });
  },
  weights(p, inputs) {
    const all = [];
    for (let i = 1; i <= p.layers; i++) {
      const width = i === 1 ? inputWidth(inputs) : p.layer.params.units;
      all.push(...prefixed(`layer${i}`, innerWeights(p.layer, width)));
    }
    return all;
  },
};
