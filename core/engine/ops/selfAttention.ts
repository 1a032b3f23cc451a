// A self-attention block as in "Attention Is All You Need" and torch.nn.TransformerEncoderLayer (post-norm,
// ReLU feed-forward): x = norm1(x + MHA(x)); y = norm2(x + FF(x)). Multi-head scaled dot-product attention
// with an optional causal mask (a position sees only itself and earlier ones) and key padding mask.
// Batched matMuls only, so tfjs autograd gives the backward pass.
import * as tf from '@tensorflow/tfjs-core';
import { batchedMatMul } from './batchedMatMul.js';
import { seededDropout } from './dropout.js';
import { layerNorm } from './layerNorm.js';

/**
 * Weights, named as core/catalog/kinds/self-attention.ts lists them (kernels [in,out] as in tfjs/Keras;
 * torch's in_proj_weight rows are split and transposed): query|key|value|output /kernel [D,D] and /bias
 * [D]; norm1/gamma, norm1/beta [D]; ffn1/kernel [D,F], ffn1/bias [F], ffn2/kernel [F,D], ffn2/bias [D];
 * norm2/gamma, norm2/beta [D]; `positions` [maxLength,D] for learned positional encoding.
 */
export type SelfAttentionWeights = Record<string, tf.Tensor>;

export interface SelfAttentionOptions {
  heads: number;
  causal: boolean;
  positionalEncoding: 'none' | 'sinusoidal' | 'learned';
  /** Dropout rate on attention weights and sublayer outputs when training (0 = none). */
  dropout?: number;
  /** Uniform [0,1) source for dropout masks (seeded, checkpointed by the training loop). */
  random?: () => number;
  training?: boolean;
}

export interface SelfAttentionResult {
  /** [B,T,D] */
  output: tf.Tensor3D;
  /** [B,heads,T,T] per-head attention weights; padded keys and (causal) future keys get exactly 0. */
  weights: tf.Tensor4D;
}

/** Sinusoidal encoding [T,D]: PE[p,2i] = sin(p/10000^(2i/D)), PE[p,2i+1] = cos(same). */
export function sinusoidalPositions(length: number, dimension: number): tf.Tensor2D {
  const data = new Float32Array(length * dimension);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < dimension; i++) {
      const angle = p / Math.pow(10000, (2 * Math.floor(i / 2)) / dimension);
      data[p * dimension + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return tf.tensor2d(data, [length, dimension]);
}

function need(w: SelfAttentionWeights, key: string): tf.Tensor {
  const t = w[key];
  if (!t) throw new Error(`self-attention needs the weight '${key}'`);
  return t;
}

function dense(x: tf.Tensor, w: SelfAttentionWeights, kernel: string, bias: string): tf.Tensor2D {
  return tf.add<tf.Tensor2D>(tf.matMul(x, need(w, kernel) as tf.Tensor2D), need(w, bias));
}

function dropout<T extends tf.Tensor>(
  x: T,
  rate: number,
  training: boolean,
  random: (() => number) | undefined,
): T {
  if (!training || rate <= 0) return x;
  // Seeded when the caller gives a source (training runs, so resumes are exact); tfjs's own otherwise.
  return random ? seededDropout(x, rate, random) : (tf.dropout(x, rate) as T);
}

/** Adds the positional encoding to inputs [B,T,D]. */
export function addPositions(
  x: tf.Tensor3D,
  positionalEncoding: SelfAttentionOptions['positionalEncoding'],
  w: SelfAttentionWeights,
): tf.Tensor3D {
  const [, t, d] = x.shape;
  if (positionalEncoding === 'none') return x;
  if (positionalEncoding === 'sinusoidal') return tf.add<tf.Tensor3D>(x, sinusoidalPositions(t, d));
  const table = need(w, 'positions');
  if (table.shape[0]! < t) {
    throw new Error(
      `learned positions cover ${table.shape[0]} steps but the sequence has ${t}; raise maxLength`,
    );
  }
  return tf.add<tf.Tensor3D>(x, tf.slice(table, [0, 0], [t, d]));
}

/** Mask [B,1,T,T] of allowed (query, key) pairs: real keys, and for causal keys <= query. */
function allowedPairs(b: number, t: number, mask: tf.Tensor2D | null, causal: boolean): tf.Tensor4D | null {
  let allowed: tf.Tensor4D | null = mask ? tf.reshape(mask, [b, 1, 1, t]) : null;
  if (causal) {
    const lower = tf.reshape(tf.linalg.bandPart(tf.ones([t, t]), -1, 0), [1, 1, t, t]) as tf.Tensor4D;
    allowed = allowed ? tf.mul<tf.Tensor4D>(allowed, lower) : lower;
  }
  return allowed;
}

/** Multi-head attention of x over itself; returns the pre-output-projection heads merged and the weights. */
export function multiHeadSelfAttention(
  x: tf.Tensor3D,
  mask: tf.Tensor2D | null,
  w: SelfAttentionWeights,
  options: SelfAttentionOptions,
): SelfAttentionResult {
  const [b, t, d] = x.shape;
  const h = options.heads;
  if (d % h !== 0) throw new Error(`self-attention: dimension ${d} is not divisible by ${h} heads`);
  const k = d / h;
  const flat = tf.reshape(x, [b * t, d]);
  // [B*T,D] -> [B,heads,T,k]
  const split = (y: tf.Tensor) => tf.transpose(tf.reshape(y, [b, t, h, k]), [0, 2, 1, 3]);
  const q = split(dense(flat, w, 'query/kernel', 'query/bias'));
  const key = split(dense(flat, w, 'key/kernel', 'key/bias'));
  const v = split(dense(flat, w, 'value/kernel', 'value/bias'));
  // The per-head products as [B·heads, …] batched products (on wasm, XNNPACK per row: batchedMatMul).
  const perHead = (y: tf.Tensor, cols: number) => tf.reshape(y, [b * h, t, cols]) as tf.Tensor3D;
  const product = batchedMatMul(perHead(q, k), perHead(key, k), false, true);
  let scores = tf.reshape(tf.div(product, Math.sqrt(k)), [b, h, t, t]) as tf.Tensor4D;
  const allowed = allowedPairs(b, t, mask, options.causal);
  let weights: tf.Tensor4D;
  if (allowed) {
    const keep = tf.greater(tf.broadcastTo(allowed, scores.shape), 0);
    scores = tf.where(keep, scores, tf.fill(scores.shape, -1e9));
    weights = tf.mul(tf.softmax(scores), allowed);
  } else {
    weights = tf.softmax(scores);
  }
  const dropped = dropout(weights, options.dropout ?? 0, options.training ?? false, options.random);
  const attended = tf.reshape(batchedMatMul(perHead(dropped, t), perHead(v, k)), [b, h, t, k]);
  const merged = tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [b * t, d]);
  const out = tf.reshape<tf.Rank.R3>(dense(merged, w, 'output/kernel', 'output/bias'), [b, t, d]);
  return { output: out, weights };
}

/** The whole block: positions, attention, residual + norm, feed-forward, residual + norm. */
export function selfAttentionBlock(
  x: tf.Tensor3D,
  mask: tf.Tensor2D | null,
  w: SelfAttentionWeights,
  options: SelfAttentionOptions,
): SelfAttentionResult {
  const [b, t, d] = x.shape;
  const rate = options.dropout ?? 0;
  const training = options.training ?? false;
  const input = addPositions(x, options.positionalEncoding, w);
  const attn = multiHeadSelfAttention(input, mask, w, options);
  const x1 = layerNorm(
    tf.add<tf.Tensor3D>(input, dropout(attn.output, rate, training, options.random)),
    need(w, 'norm1/gamma'),
    need(w, 'norm1/beta'),
  );
  const hidden = tf.relu<tf.Tensor2D>(dense(tf.reshape(x1, [b * t, d]), w, 'ffn1/kernel', 'ffn1/bias'));
  const ff = tf.reshape<tf.Rank.R3>(
    dense(dropout(hidden, rate, training, options.random), w, 'ffn2/kernel', 'ffn2/bias'),
    [b, t, d],
  );
  const output = layerNorm(
    tf.add<tf.Tensor3D>(x1, dropout(ff, rate, training, options.random)),
    need(w, 'norm2/gamma'),
    need(w, 'norm2/beta'),
  );
  return { output, weights: attn.weights };
}

/** Weight shapes for a builder: name -> shape. */
export function selfAttentionWeightShapes(
  dimension: number,
  feedForward: number,
  positionalEncoding: SelfAttentionOptions['positionalEncoding'],
  maxLength: number,
): Record<string, number[]> {
  const d = dimension;
  const shapes: Record<string, number[]> = {};
  for (const p of ['query', 'key', 'value', 'output']) {
    shapes[`${p}/kernel`] = [d, d];
    shapes[`${p}/bias`] = [d];
  }
  Object.assign(shapes, {
    'norm1/gamma': [d],
    'norm1/beta': [d],
    'ffn1/kernel': [d, feedForward],
    'ffn1/bias': [feedForward],
    'ffn2/kernel': [feedForward, d],
    'ffn2/bias': [d],
    'norm2/gamma': [d],
    'norm2/beta': [d],
  });
  if (positionalEncoding === 'learned') shapes.positions = [maxLength, d];
  return shapes;
}
