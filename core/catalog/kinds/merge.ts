// Concatenate and add: join several wires into one. Concatenate stacks features; add sums equal shapes
// (residual connections).
import { z } from 'zod';
import type { InferResult, InputShapes, LayerKindDef } from '../types.js';
import { describe, fail, ok } from '../shapes.js';

export const mergeParams = z.strictObject({});
export type MergeParams = z.output<typeof mergeParams>;

function merge(inputs: InputShapes, how: 'concatenate' | 'add'): InferResult {
  const shapes = inputs.in ?? [];
  const title = how === 'add' ? 'Add' : 'Concatenate';
  if (shapes.length < 2)
    return fail('too-few-inputs', `${title} joins two or more wires; connect at least two to "in".`, {
      port: 'in',
    });
  const [head, ...rest] = shapes as [(typeof shapes)[number], ...typeof shapes];
  const lead = head.shape.slice(0, -1).join(',');
  for (const s of rest) {
    const same =
      how === 'add' ? s.shape.join(',') === head.shape.join(',') : s.shape.slice(0, -1).join(',') === lead;
    if (!same || s.shape.length !== head.shape.length) {
      const need = how === 'add' ? 'the same shape' : 'the same shape except the last (feature) axis';
      return fail(
        'shape-mismatch',
        `${title} needs inputs of ${need}, got ${describe(head)} and ${describe(s)}.`,
        { port: 'in' },
      );
    }
  }
  const last = shapes.map((s) => s.shape[s.shape.length - 1]);
  if (how === 'concatenate' && last.some((d) => typeof d !== 'number')) {
    return fail('shape-mismatch', 'Concatenate needs known feature sizes on every input.', { port: 'in' });
  }
  const width = how === 'add' ? last[0]! : (last as number[]).reduce((a, b) => a + b, 0);
  const kind = shapes.every((s) => s.kind === head.kind) ? head.kind : 'sequence';
  return ok({ out: { kind, shape: [...head.shape.slice(0, -1), width] } });
}

const accepts = ['sequence' as const, 'vector' as const, 'memory' as const];

export const concatenate: LayerKindDef<MergeParams> = {
  kind: 'concatenate',
  title: 'Concatenate',
  category: 'utilities',
  formula: '[a ; b]',
  doc: {
    what: 'Joins its inputs side by side along the feature axis.',
    when: 'To combine a decoder output with its attention context, or features from two branches.',
    formula: 'The output has the features of the first input followed by those of the next.',
  },
  params: mergeParams,
  inputs: [{ name: 'in', accepts, multiple: true, label: 'in' }],
  outputs: [{ name: 'out', kinds: accepts, label: 'out' }],
  inferShapes: (_p, inputs) => merge(inputs, 'concatenate'),
  weights: () => [],
};

export const add: LayerKindDef<MergeParams> = {
  kind: 'add',
  title: 'Add',
  category: 'utilities',
  formula: 'a + b',
  doc: {
    what: 'Adds its inputs element by element; they must have the same shape.',
    when:
      "Residual (skip) connections: add a block's input to its output so gradients flow through deep " +
      'models.',
    formula: 'Each output number is the sum of the matching input numbers.',
  },
  params: mergeParams,
  inputs: [{ name: 'in', accepts, multiple: true, label: 'in' }],
  outputs: [{ name: 'out', kinds: accepts, label: 'out' }],
  inferShapes: (_p, inputs) => merge(inputs, 'add'),
  weights: () => [],
};
