// Where data enters the graph. `role` names the Batch tensor that feeds it (core/data/batch.ts):
// tokens -> `tokens`, features -> `features`, source -> `source`, target -> `targetIn` (teacher forcing).
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { fail, ok, sequence } from '../shapes.js';

export const inputParams = z.strictObject({
  role: z.enum(['tokens', 'features', 'source', 'target']).default('tokens'),
  /** Numbers per time step, for role `features`; taken from the dataset when absent. */
  features: z.number().int().min(1).max(100_000).optional(),
});
export type InputParams = z.output<typeof inputParams>;

export const input: LayerKindDef<InputParams> = {
  kind: 'input',
  title: 'Input',
  category: 'inputs',
  formula: 'x₁ … x_T',
  doc: {
    what:
      'The sequences of the dataset entering the model: token ids, numeric features per step, or the ' +
      'source and target sides of a translation.',
    when:
      'Every model starts here. Use role "source" and "target" for encoder–decoders; "target" feeds ' +
      'the decoder the right answer shifted by one (teacher forcing).',
    formula: 'A batch of padded sequences; padding steps are masked out of every loss and metric.',
  },
  params: inputParams,
  inputs: [],
  outputs: [{ name: 'out', kinds: ['tokens', 'sequence'], label: 'tokens' }],
  inferShapes(p, _inputs, data) {
    switch (p.role) {
      case 'tokens':
      case 'target':
        return ok({ out: { kind: 'tokens', shape: ['batch', 'time'] } });
      case 'source':
        return ok({ out: { kind: 'tokens', shape: ['batch', 'source'] } });
      case 'features': {
        const features = p.features ?? data.features;
        if (features === undefined) {
          return fail(
            'missing-features',
            'Set "features" (numbers per time step) on this input, or attach a dataset.',
            { field: 'features' },
          );
        }
        return ok({ out: sequence('time', features) });
      }
    }
  },
  weights: () => [],
};
