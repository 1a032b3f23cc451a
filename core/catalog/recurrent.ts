// What Elman, LSTM and GRU blocks share: the common params (shared convention: units, returnSequences,
// dropout, recurrentDropout), ports, output shapes and the Keras weight layout, parameterised by how many
// gates the cell has. Wrappers (bidirectional, stack) and seq2seq blocks reuse these.
import { z } from 'zod';
import type { InferResult, InputPortDef, InputShapes, OutputPortDef, WeightSpec } from './types.js';
import { fail, isResult, needSequence, ok, sequence, stateOf, timeDim, vector, width } from './shapes.js';

export const RECURRENT_KINDS = ['lstm', 'gru', 'elman'] as const;
export type RecurrentKind = (typeof RECURRENT_KINDS)[number];

const rate = z.number().min(0).max(0.95);

export const recurrentFields = {
  units: z.number().int().min(1).max(4096).default(64),
  returnSequences: z.boolean().default(true),
  /** Dropout on the inputs x_t (one mask for the whole sequence, as Keras does). */
  dropout: rate.default(0),
  /** Variational dropout on h_{t-1} (Gal & Ghahramani): one mask per sequence. */
  recurrentDropout: rate.default(0),
};

export const recurrentInputs: InputPortDef[] = [
  { name: 'in', accepts: ['sequence', 'memory'], label: 'sequence' },
];

export const recurrentOutputs: OutputPortDef[] = [
  { name: 'out', kinds: ['sequence', 'vector'], label: 'sequence' },
  { name: 'state', kinds: ['state'], label: 'state' },
];

export interface RecurrentCommon {
  units: number;
  returnSequences: boolean;
}

/** Gate blocks in the kernel's last axis: Elman 1, GRU 3 (z, r, h), LSTM 4 (i, f, c, o). */
export const GATES: Record<RecurrentKind, string[]> = {
  elman: ['hidden'],
  gru: ['update', 'reset', 'candidate'],
  lstm: ['input', 'forget', 'cell', 'output'],
};

export function inferRecurrent(
  params: RecurrentCommon,
  inputs: InputShapes,
  title: string,
  lstm = false,
): InferResult {
  const input = needSequence(inputs, 'in', title);
  if (isResult(input)) return input;
  const out = params.returnSequences ? sequence(timeDim(input), params.units) : vector(params.units);
  return ok({ out, state: stateOf(params.units, lstm) });
}

/**
 * Keras layout: kernel [in, G·H], recurrent_kernel [H, G·H], bias [G·H]. A GRU with resetAfter keeps
 * separate input and recurrent biases, bias [2, 3H], exactly as Keras (and as PyTorch counts them).
 */
export function recurrentWeights(
  kind: RecurrentKind,
  units: number,
  inputWidth: number,
  resetAfter = true,
): WeightSpec[] {
  const g = GATES[kind].length * units;
  const bias = kind === 'gru' && resetAfter ? [2, g] : [g];
  return [
    { name: 'kernel', shape: [inputWidth, g] },
    { name: 'recurrent_kernel', shape: [units, g] },
    { name: 'bias', shape: bias },
  ];
}

export function inputWidth(inputs: InputShapes, port = 'in'): number {
  const shape = inputs[port]?.[0];
  return shape ? (width(shape) ?? 0) : 0;
}

export function notRecurrent(kind: string, field: string): InferResult {
  return fail(
    'wrapper-not-recurrent',
    `This wrapper holds a recurrent layer (LSTM, GRU or Elman RNN), not "${kind}". Choose one in ${field}.`,
    { field },
  );
}
