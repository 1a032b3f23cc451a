// The recurrent layer a wrapper holds: { kind: 'lstm'|'gru'|'elman', params } (shared convention), its
// params parsed with that kind's own schema so defaults are filled inside the wrapper too.
import { z } from 'zod';
import { elmanParams, type ElmanParams } from './kinds/elman.js';
import { gruParams, type GruParams } from './kinds/gru.js';
import { lstmParams, type LstmParams } from './kinds/lstm.js';
import { recurrentWeights } from './recurrent.js';
import type { WeightSpec } from './types.js';

const notRecurrentMessage =
  'A wrapper holds a recurrent layer: kind must be "lstm", "gru" or "elman". Put other blocks before or ' +
  'after the wrapper.';

export const innerLayerSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('lstm'), params: lstmParams.prefault({}) }),
    z.strictObject({ kind: z.literal('gru'), params: gruParams.prefault({}) }),
    z.strictObject({ kind: z.literal('elman'), params: elmanParams.prefault({}) }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? notRecurrentMessage : undefined) },
);

export type InnerLayer =
  | { kind: 'lstm'; params: LstmParams }
  | { kind: 'gru'; params: GruParams }
  | { kind: 'elman'; params: ElmanParams };

export function innerWeights(layer: InnerLayer, inputWidth: number): WeightSpec[] {
  const resetAfter = layer.kind === 'gru' ? layer.params.resetAfter : true;
  return recurrentWeights(layer.kind, layer.params.units, inputWidth, resetAfter);
}

export const INNER_TITLES: Record<InnerLayer['kind'], string> = {
  lstm: 'LSTM',
  gru: 'GRU',
  elman: 'Elman RNN',
};
