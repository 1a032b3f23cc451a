// Every block kind the compiler can build, in one explicit list (catalog kind id → builder).
// Kinds missing here (encoder, decoder, attention, self-attention, state-space until their builders land)
// are refused by compile.ts with a message naming the block.
import { add, concatenate, dense, dropout, embedding, head, input } from './basic.js';
import { pooling } from './pooling.js';
import { bidirectional, recurrent, stack } from './recurrent.js';
import type { BlockBuilder } from './types.js';

export const BUILDERS: Record<string, BlockBuilder> = {
  input,
  embedding,
  elman: recurrent,
  lstm: recurrent,
  gru: recurrent,
  bidirectional,
  stack,
  dropout,
  pooling,
  dense,
  head,
  concatenate,
  add,
};

export type { BlockBuilder, BlockContext, Flow } from './types.js';
