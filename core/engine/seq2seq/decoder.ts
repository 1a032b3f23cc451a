// The decoder: a recurrent stack that starts from the (bridged) encoder state and reads the target
// shifted right. Attention can sit after it (Luong 2015: the top state h_t queries the memory, output
// h̃_t = tanh([context_t; h_t] Wc)) or inside it (Bahdanau 2015: the previous state queries the memory
// and the context joins the input, x'_t = [x_t; context_t]); both end in the same combined output so the
// head does not care which.
// Teacher forcing over a whole sequence runs the fused recurrent ops once per layer (none / Luong), or
// one step at a time (Bahdanau, scheduled sampling, generation) through `decoderStep`.
import * as tf from '@tensorflow/tfjs-core';
import { attendPrepared, prepareMemory, type AttentionScore, type AttentionWeights, type PreparedMemory } from '../ops/attention.js';
import { runCell, type CellConfig, type CellState } from '../ops/recurrent.js';
import { layerPrefix } from './encoder.js';
import { cellWeightShapes, cellWeightsAt, type WeightLookup } from './weights.js';

export type DecoderAttention = 'none' | 'bahdanau' | 'luong-dot' | 'luong-general';

export interface DecoderSpec {
  cell: CellConfig;
  layers: number;
  attention: DecoderAttention;
  /** Hidden size of the additive (Bahdanau) score. */
  attentionUnits: number;
}

export interface DecoderOutput {
  /** [B,T,H] combined output (h̃ with attention, h without). */
  output: tf.Tensor3D;
  /** [B,T,S] attention weights of every target step, or null without attention. */
  attention: tf.Tensor3D | null;
  states: CellState[];
}

export const ATTENTION_SCORE: Record<Exclude<DecoderAttention, 'none'>, AttentionScore> = {
  bahdanau: 'additive',
  'luong-dot': 'dot',
  'luong-general': 'general',
};

function attentionWeights(spec: DecoderSpec, lookup: WeightLookup): AttentionWeights {
  if (spec.attention === 'bahdanau') {
    return { query_kernel: lookup('attention/query_kernel'), memory_kernel: lookup('attention/memory_kernel'), score_vector: lookup('attention/score_vector') };
  }
  return spec.attention === 'luong-general' ? { kernel: lookup('attention/kernel') } : {};
}

/** The memory as this decoder's attention reads it (computed once per batch of sources). */
export function prepareDecoderMemory(memory: tf.Tensor3D, mask: tf.Tensor2D | null, spec: DecoderSpec, lookup: WeightLookup): PreparedMemory | null {
  if (spec.attention === 'none') return null;
  if (spec.attention === 'luong-dot' && memory.shape[2] !== spec.cell.units) {
    throw new Error(`decoder: Luong dot attention needs the memory size (${memory.shape[2]}) to equal the decoder units (${spec.cell.units}); use 'luong-general' or 'bahdanau'`);
  }
  return prepareMemory(memory, mask, ATTENTION_SCORE[spec.attention], attentionWeights(spec, lookup));
}

/** h̃ = tanh([context; h] Wc), for queries [B,T,H] and contexts [B,T,M]. */
function combine(h: tf.Tensor3D, context: tf.Tensor3D, lookup: WeightLookup): tf.Tensor3D {
  const [b, t] = h.shape;
  const joined = tf.reshape(tf.concat([context, h], 2), [b * t, context.shape[2] + h.shape[2]]);
  const out = tf.tanh(tf.matMul(joined, lookup('attention/output_kernel') as tf.Tensor2D));
  return tf.reshape(out, [b, t, out.shape[1]!]);
}

function runLayers(x: tf.Tensor3D, init: CellState[], spec: DecoderSpec, lookup: WeightLookup, mask: Float32Array | null) {
  let y = x;
  const states: CellState[] = [];
  for (let i = 0; i < spec.layers; i++) {
    const r = runCell(spec.cell, y, cellWeightsAt(lookup, layerPrefix(i, spec.layers)), init[i] ?? {}, { mask });
    y = r.sequence;
    states.push({ h: r.h, c: r.c });
  }
  return { top: y, states };
}

/** One target step: x [B,E] (embedded previous token) -> combined output [B,H], weights [B,S]. */
export function decoderStep(
  x: tf.Tensor2D,
  states: CellState[],
  spec: DecoderSpec,
  lookup: WeightLookup,
  memory: PreparedMemory | null,
  mask: Float32Array | null = null,
): { output: tf.Tensor2D; attention: tf.Tensor2D | null; states: CellState[] } {
  const [b, e] = x.shape;
  const w = attentionWeightsFor(spec, lookup);
  let input = tf.reshape(x, [b, 1, e]) as tf.Tensor3D;
  let early: { context: tf.Tensor3D; weights: tf.Tensor3D } | null = null;
  if (spec.attention === 'bahdanau' && memory) {
    const query = states[spec.layers - 1]?.h;
    if (!query) throw new Error('decoder: Bahdanau attention needs an initial state to query with');
    early = attendPrepared(tf.reshape(query, [b, 1, query.shape[1]]) as tf.Tensor3D, memory, w);
    input = tf.concat([input, early.context], 2);
  }
  const { top, states: next } = runLayers(input, states, spec, lookup, mask);
  const att = early ?? (memory ? attendPrepared(top, memory, w) : null);
  const out = att ? combine(top, att.context, lookup) : top;
  return {
    output: tf.reshape(out, [b, out.shape[2]]) as tf.Tensor2D,
    attention: att ? (tf.reshape(att.weights, [b, att.weights.shape[2]]) as tf.Tensor2D) : null,
    states: next,
  };
}

function attentionWeightsFor(spec: DecoderSpec, lookup: WeightLookup): AttentionWeights {
  return spec.attention === 'none' ? {} : attentionWeights(spec, lookup);
}

/** Teacher forcing over the whole target x [B,T,E] with target mask [B,T]. */
export function decodeSequence(
  x: tf.Tensor3D,
  targetMask: tf.Tensor2D | null,
  init: CellState[],
  spec: DecoderSpec,
  lookup: WeightLookup,
  memory: PreparedMemory | null,
): DecoderOutput {
  const m = targetMask ? Float32Array.from(targetMask.dataSync() as Float32Array) : null;
  if (spec.attention !== 'bahdanau' || !memory) {
    const { top, states } = runLayers(x, init, spec, lookup, m);
    if (!memory) return { output: top, attention: null, states };
    const att = attendPrepared(top, memory, attentionWeightsFor(spec, lookup));
    return { output: combine(top, att.context, lookup), attention: att.weights, states };
  }
  const [b, t, e] = x.shape;
  const outputs: tf.Tensor2D[] = [];
  const weights: tf.Tensor2D[] = [];
  let states = init;
  for (let s = 0; s < t; s++) {
    const xs = tf.reshape(tf.slice(x, [0, s, 0], [b, 1, e]), [b, e]) as tf.Tensor2D;
    const stepMask = m ? Float32Array.from({ length: b }, (_, i) => m[i * t + s]!) : null;
    const r = decoderStep(xs, states, spec, lookup, memory, stepMask);
    outputs.push(r.output);
    weights.push(r.attention!);
    states = r.states;
  }
  return { output: tf.stack(outputs, 1) as tf.Tensor3D, attention: tf.stack(weights, 1) as tf.Tensor3D, states };
}

/** Weight shapes: the cells (first layer reads [x; context] with Bahdanau), the score and the combiner. */
export function decoderWeightShapes(spec: DecoderSpec, inputSize: number, memorySize: number): Record<string, number[]> {
  const h = spec.cell.units;
  const shapes: Record<string, number[]> = {};
  for (let i = 0; i < spec.layers; i++) {
    const size = i === 0 ? inputSize + (spec.attention === 'bahdanau' ? memorySize : 0) : h;
    Object.assign(shapes, cellWeightShapes(spec.cell, size, layerPrefix(i, spec.layers)));
  }
  if (spec.attention === 'none') return shapes;
  if (spec.attention === 'bahdanau') {
    Object.assign(shapes, { 'attention/query_kernel': [h, spec.attentionUnits], 'attention/memory_kernel': [memorySize, spec.attentionUnits], 'attention/score_vector': [spec.attentionUnits] });
  }
  if (spec.attention === 'luong-general') shapes['attention/kernel'] = [h, memorySize];
  shapes['attention/output_kernel'] = [memorySize + h, h];
  return shapes;
}
