// Shared by dense and head: a linear map of the last axis, applied at every time step on sequences.
import type { InferResult, InputShapes, WeightSpec } from './types.js';
import { describe, fail, first, missing, ok, width } from './shapes.js';

export function inferLinear(units: number, inputs: InputShapes, title: string): InferResult {
  const input = first(inputs, 'in');
  if (!input) return missing('in');
  if (input.kind === 'tokens' || input.kind === 'state' || input.kind === 'weights') {
    return fail(
      'shape-mismatch',
      `${title} reads a vector or a sequence of vectors, but receives ${describe(input)}.`,
      { port: 'in' },
    );
  }
  if (width(input) === undefined)
    return fail('shape-mismatch', `${title} needs a known feature size, got ${describe(input)}.`, {
      port: 'in',
    });
  const kind = input.kind === 'memory' ? 'sequence' : input.kind;
  return ok({ out: { kind, shape: [...input.shape.slice(0, -1), units] } });
}

export function linearWeights(units: number, inputs: InputShapes): WeightSpec[] {
  const input = first(inputs, 'in');
  const f = input ? (width(input) ?? 0) : 0;
  return [
    { name: 'kernel', shape: [f, units] },
    { name: 'bias', shape: [units] },
  ];
}
