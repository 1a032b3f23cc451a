// Small helpers the layer kinds share to read and build shapes, so each kind file reads as its math.
import type { Dim, PortKind, PortShape } from '../graph/types.js';
import type { InferResult, InputShapes, LayerProblem, OutputShapes, WeightSpec } from './types.js';

export function ok(outputs: OutputShapes): InferResult {
  return { ok: true, outputs };
}

export function fail(
  code: string,
  message: string,
  where: { port?: string; field?: string } = {},
): InferResult {
  const problem: LayerProblem = { code, message, ...where };
  return { ok: false, problem };
}

/** The single shape at a port, or undefined when nothing is wired there. */
export function first(inputs: InputShapes, port: string): PortShape | undefined {
  return inputs[port]?.[0];
}

/** The last (feature) dimension as a number, or undefined when it is symbolic. */
export function width(shape: PortShape): number | undefined {
  const last = shape.shape[shape.shape.length - 1];
  return typeof last === 'number' ? last : undefined;
}

/** The time axis of a sequence-like shape (`time` or `source`). */
export function timeDim(shape: PortShape): Dim {
  return shape.shape[1] ?? 'time';
}

export function sequence(time: Dim, features: number, kind: PortKind = 'sequence'): PortShape {
  return { kind, shape: ['batch', time, features] };
}

/** A recurrent state [batch, units]; an LSTM's carries its cell state too. */
export function stateOf(units: number, lstm: boolean): PortShape {
  return { kind: 'state', shape: ['batch', units], ...(lstm ? { cell: true as const } : {}) };
}

export function vector(features: number): PortShape {
  return { kind: 'vector', shape: ['batch', features] };
}

export function describe(shape: PortShape): string {
  return `${shape.kind} [${shape.shape.join(', ')}]`;
}

/** A required input port is missing: the validator reports the dangling port, so inference just stops. */
export function missing(port: string): InferResult {
  return fail('dangling-port', `Connect something to the "${port}" input.`, { port });
}

/** Checks that the shape at `port` is a sequence (or memory) with a known feature width. */
export function needSequence(inputs: InputShapes, port: string, what: string): PortShape | InferResult {
  const shape = first(inputs, port);
  if (!shape) return missing(port);
  if (shape.kind !== 'sequence' && shape.kind !== 'memory') {
    const hint =
      shape.kind === 'tokens'
        ? 'Put an Embedding block between the token input and this block.'
        : shape.kind === 'vector'
          ? 'It received one vector per sequence: set returnSequences on the block before it, or move ' +
            'this block before the pooling.'
          : 'Wire a sequence into it.';
    return fail(
      'sequence-expected',
      `${what} reads a sequence [batch, time, features] but receives ${describe(shape)}. ${hint}`,
      { port },
    );
  }
  if (width(shape) === undefined) {
    return fail(
      'shape-mismatch',
      `${what} needs a known feature size on its input, got ${describe(shape)}.`,
      { port },
    );
  }
  return shape;
}

export function isResult(value: PortShape | InferResult): value is InferResult {
  return 'ok' in value;
}

export function countWeights(weights: WeightSpec[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce((p, d) => p * d, 1), 0);
}

/** Prefixes weight names, for wrappers that hold inner layers (`forward/kernel`). */
export function prefixed(prefix: string, weights: WeightSpec[]): WeightSpec[] {
  return weights.map((w) => ({ name: `${prefix}/${w.name}`, shape: w.shape }));
}
