// Every block kind the compiler can build, in one explicit list (catalog kind id → builder).
// Kinds missing here are refused by compile.ts with a message naming the block. The sequence-model kinds
// (encoder, decoder, attention, self-attention, state-space) are built in ../seq2seq/blocks.ts.
import { add, concatenate, dense, dropout, embedding, head, input } from './basic.js';
import { pooling } from './pooling.js';
import { bidirectional, recurrent, stack } from './recurrent.js';
import type { BlockBuilder } from './types.js';
import { SEQUENCE_MODEL_BUILDERS } from '../seq2seq/blocks.js';

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
  ...SEQUENCE_MODEL_BUILDERS,
};

export type { BlockBuilder, BlockContext, Flow } from './types.js';
