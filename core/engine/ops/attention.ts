// Attention of a decoder (queries) over an encoder's outputs (memory): additive (Bahdanau 2015) and
// multiplicative (Luong 2015, dot and general). tfjs autograd gives the backward pass; the two products
// with a batch axis (scores, context) go through batchedMatMul, which keeps them and their gradients on
// XNNPACK on wasm (tfjs-wasm runs them as a plain scalar loop).
import * as tf from '@tensorflow/tfjs-core';
import { batchedMatMul } from './batchedMatMul.js';

export type AttentionScore = 'additive' | 'dot' | 'general';

/**
 * Weights, tfjs/Keras layout (kernels are [in, out]), named `${node}/${key}`:
 * - additive: score(q, m) = v · tanh(q Wq + m Wm [+ b]) — `query_kernel` [Hq,A], `memory_kernel` [Hm,A],
 *   `score_vector` [A], optional `bias` [A] (Keras' AdditiveAttention and the catalog have none)
 * - general: score(q, m) = q · (m Wgᵀ) — `kernel` [Hq,Hm]
 * - dot: score(q, m) = q · m, divided by √Hm when `scaled` — no weights (Hq must equal Hm)
 */
export interface AttentionWeights {
  query_kernel?: tf.Tensor;
  memory_kernel?: tf.Tensor;
  bias?: tf.Tensor;
  score_vector?: tf.Tensor;
  kernel?: tf.Tensor;
}

/** The memory as the scores need it, computed once per source sentence and reused at every decoder step. */
export interface PreparedMemory {
  score: AttentionScore;
  /** [B,S,Hm] what the context averages. */
  values: tf.Tensor3D;
  /** [B,S,K]: additive m Wm (K = A); general m Wgᵀ (K = Hq); dot the memory itself. */
  keys: tf.Tensor3D;
  /** [B,S] 1 = real source position, or null when nothing is padded. */
  mask: tf.Tensor2D | null;
  /** Dot scores divided by √(memory size) (Vaswani et al.): softmax does not saturate as units grow. */
  scaled: boolean;
}

export interface AttentionResult {
  /** [B,T,Hm] weighted average of the memory for each query. */
  context: tf.Tensor3D;
  /** [B,T,S] attention weights; rows sum to 1 over real source positions, padded positions are exactly 0. */
  weights: tf.Tensor3D;
}

function need(w: AttentionWeights, key: keyof AttentionWeights, score: AttentionScore): tf.Tensor {
  const t = w[key];
  if (!t) throw new Error(`${score} attention needs the weight '${key}'`);
  return t;
}

/** Batched [B,X,Y] @ [Y,Z] without transpose flags (which leave the wasm fast path). */
function project(x: tf.Tensor3D, kernel: tf.Tensor): tf.Tensor3D {
  const [b, n, f] = x.shape;
  const out = tf.matMul(tf.reshape(x, [b * n, f]), kernel as tf.Tensor2D);
  return tf.reshape(out, [b, n, out.shape[1]!]);
}

export function prepareMemory(
  memory: tf.Tensor3D,
  mask: tf.Tensor2D | null,
  score: AttentionScore,
  weights: AttentionWeights,
  options: { scaled?: boolean } = {},
): PreparedMemory {
  let keys: tf.Tensor3D;
  if (score === 'additive') keys = project(memory, need(weights, 'memory_kernel', score));
  else if (score === 'general') keys = project(memory, tf.transpose(need(weights, 'kernel', score)));
  else keys = memory;
  return { score, values: memory, keys, mask, scaled: options.scaled ?? false };
}

/** Unnormalised scores [B,T,S] of queries [B,T,Hq] against prepared memory. */
export function attentionScores(
  query: tf.Tensor3D,
  memory: PreparedMemory,
  weights: AttentionWeights,
): tf.Tensor3D {
  const { score, keys } = memory;
  if (score !== 'additive') {
    if (query.shape[2] !== keys.shape[2]) {
      throw new Error(
        `${score} attention: query size ${query.shape[2]} does not match memory size ${keys.shape[2]}` +
          (score === 'dot' ? " (use 'general' or a bridge when the sizes differ)" : ''),
      );
    }
    const dot = batchedMatMul(query, keys, false, true);
    return memory.scaled && score === 'dot' ? tf.div<tf.Tensor3D>(dot, Math.sqrt(keys.shape[2])) : dot;
  }
  const [b, t] = query.shape;
  const s = keys.shape[1];
  const a = keys.shape[2];
  const projected = project(query, need(weights, 'query_kernel', score));
  const q = weights.bias ? tf.add(projected, weights.bias) : projected; // [B,T,A]
  // [B,T,1,A] + [B,1,S,A] -> [B,T,S,A]: every query against every source position.
  const e = tf.tanh(tf.add(tf.reshape(q, [b, t, 1, a]), tf.reshape(keys, [b, 1, s, a])));
  const v = tf.reshape(need(weights, 'score_vector', score), [a, 1]);
  return tf.reshape(tf.matMul(tf.reshape(e, [b * t * s, a]), v), [b, t, s]);
}

/**
 * Softmax over the source axis that gives padded positions exactly zero weight: their scores are replaced
 * (not added to, so no gradient leaks) by a large negative, and the result is multiplied by the mask so a
 * fully padded row gives zeros instead of a uniform average.
 */
export function maskedSoftmax(scores: tf.Tensor3D, mask: tf.Tensor2D | null): tf.Tensor3D {
  if (!mask) return tf.softmax(scores);
  const [b, , s] = scores.shape;
  const m = tf.reshape(mask, [b, 1, s]);
  const keep = tf.greater(tf.broadcastTo(m, scores.shape), 0);
  const filled = tf.where(keep, scores, tf.fill(scores.shape, -1e9));
  return tf.mul(tf.softmax(filled), m);
}

/** Attend with queries [B,T,Hq] (T = 1 for one decoder step) over prepared memory. */
export function attendPrepared(
  query: tf.Tensor3D,
  memory: PreparedMemory,
  weights: AttentionWeights,
): AttentionResult {
  const w = maskedSoftmax(attentionScores(query, memory, weights), memory.mask);
  return { context: batchedMatMul(w, memory.values), weights: w };
}

/** One-shot attention: queries [B,T,Hq] over memory [B,S,Hm] with source mask [B,S] (or null). */
export function attend(
  query: tf.Tensor3D,
  memory: tf.Tensor3D,
  mask: tf.Tensor2D | null,
  score: AttentionScore,
  weights: AttentionWeights,
  options: { scaled?: boolean } = {},
): AttentionResult {
  return attendPrepared(query, prepareMemory(memory, mask, score, weights, options), weights);
}

/** Weight shapes for a score, so a builder can create variables: name -> shape. */
export function attentionWeightShapes(
  score: AttentionScore,
  querySize: number,
  memorySize: number,
  units: number,
): Record<string, number[]> {
  if (score === 'additive') {
    return { query_kernel: [querySize, units], memory_kernel: [memorySize, units], score_vector: [units] };
  }
  if (score === 'general') return { kernel: [querySize, memorySize] };
  return {};
}
