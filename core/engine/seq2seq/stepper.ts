// Adapts a trained Seq2SeqModel to the search functions of core/engine/decode: the carry (decoder states
// and the prepared memory) is gathered row-wise so beams follow their parents. Call inside tf.tidy (or
// use `translate`), since every step allocates tensors.
import * as tf from '@tensorflow/tfjs-core';
import type { DecoderSteps } from '../decode/types.js';
import type { PreparedMemory } from '../ops/attention.js';
import type { CellState } from '../ops/recurrent.js';
import { beamSearch } from '../decode/beamSearch.js';
import { greedyDecode } from '../decode/greedy.js';
import type { Hypothesis } from '../decode/types.js';
import type { DecoderCarry, Seq2SeqModel } from './model.js';

function gatherRows<T extends tf.Tensor>(t: T, rows: tf.Tensor1D): T {
  return tf.gather(t, rows, 0) as T;
}

function selectCarry(carry: DecoderCarry, rows: Int32Array): DecoderCarry {
  const idx = tf.tensor1d(rows, 'int32');
  const states: CellState[] = carry.states.map((s) => ({ h: s.h && gatherRows(s.h, idx), c: s.c && gatherRows(s.c, idx) }));
  const m = carry.memory;
  const memory: PreparedMemory | null = m && {
    ...m, values: gatherRows(m.values, idx), keys: gatherRows(m.keys, idx), mask: m.mask && gatherRows(m.mask, idx),
  };
  return { states, memory };
}

export function decoderSteps(model: Seq2SeqModel): DecoderSteps<DecoderCarry> {
  return {
    vocabularySize: model.config.targetVocabulary,
    step(prev, carry) {
      const r = model.step(tf.tensor1d(prev, 'int32'), carry);
      return { logProbs: r.logProbs.dataSync() as Float32Array, state: r.carry };
    },
    select: selectCarry,
  };
}

export interface TranslateOptions {
  start: number;
  end: number;
  maxLength: number;
  /** 1 = greedy. */
  beamWidth?: number;
  lengthPenalty?: number;
}

/** Decode every source row (ids [B,S] with mask) greedily or with a beam; returns the best output per row. */
export function translate(model: Seq2SeqModel, source: Int32Array, shape: [number, number], mask: Float32Array, options: TranslateOptions): Hypothesis[] {
  const [b, s] = shape;
  let result: Hypothesis[] = [];
  tf.tidy(() => {
    const steps = decoderSteps(model);
    const carry = model.start(tf.tensor2d(source, [b, s], 'int32'), tf.tensor2d(mask, [b, s]));
    if ((options.beamWidth ?? 1) <= 1) {
      result = greedyDecode(steps, carry, b, options);
      return;
    }
    result = Array.from({ length: b }, (_, row) => {
      const one = selectCarry(carry, Int32Array.of(row));
      return beamSearch(steps, one, { ...options, width: options.beamWidth!, keep: 1 })[0]!;
    });
  });
  return result;
}
