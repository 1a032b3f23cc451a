// Pooling over time: one vector per sequence from its real (unmasked) steps only.
import * as tf from '@tensorflow/tfjs-core';
import { linear } from './basic.js';
import { type BlockBuilder, type Flow, inputOf } from './types.js';

/** One-hot [B,T] on each row's last real step (the max t with mask 1; t = T−1 without a mask). */
function lastStepWeights(mask: Float32Array | null, B: number, T: number): tf.Tensor2D {
  const w = new Float32Array(B * T);
  for (let b = 0; b < B; b++) {
    let last = T - 1;
    if (mask) {
      last = 0;
      for (let t = 0; t < T; t++) if (mask[b * T + t]! > 0) last = t;
    }
    w[b * T + last] = 1;
  }
  return tf.tensor2d(w, [B, T]);
}

function weightedSum(x: tf.Tensor3D, w: tf.Tensor2D): tf.Tensor2D {
  return tf.sum(tf.mul(x, tf.expandDims(w, 2)), 1) as tf.Tensor2D;
}

export const pooling: BlockBuilder = (ctx): Record<string, Flow> => {
  const flow = inputOf(ctx);
  const x = flow.tensor as tf.Tensor3D;
  const [B, T] = x.shape;
  const m = flow.mask ? tf.tensor2d(flow.mask, [B, T]) : tf.ones([B, T]);
  switch (ctx.params.mode) {
    case 'last':
      return { out: { tensor: weightedSum(x, lastStepWeights(flow.mask, B, T)), mask: null } };
    case 'mean':
      return {
        out: {
          tensor: tf.div(weightedSum(x, m as tf.Tensor2D), tf.maximum(tf.sum(m, 1, true), 1)),
          mask: null,
        },
      };
    case 'max': {
      const shifted = tf.add(x, tf.mul(tf.sub(tf.expandDims(m, 2), 1), 1e9));
      return { out: { tensor: tf.max(shifted, 1), mask: null } };
    }
    default: {
      // α = softmax_t(vᵀ tanh(W h_t + b)) over real steps; v = Σ α_t h_t.
      const hidden = tf.tanh(linear(x, ctx.weight('kernel'), ctx.weight('bias')));
      const scores = tf.sum(tf.mul(hidden, ctx.weight('score_vector')), 2);
      const masked = tf.add(scores, tf.mul(tf.sub(m, 1), 1e9));
      const alpha = tf.softmax(masked) as tf.Tensor2D;
      ctx.emit('attention', alpha);
      return { out: { tensor: weightedSum(x, alpha), mask: null }, weights: { tensor: alpha, mask: null } };
    }
  }
};
