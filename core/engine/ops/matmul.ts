// matMul whose gradient uses explicit transposes. tfjs's own MatMul gradient passes transpose flags,
// which leave the wasm backend's fast path: measured here for a [6400,256]·[256,65] head, 127 ms per
// flagged gradient product vs 11–27 ms with an explicit transpose.
import * as tf from '@tensorflow/tfjs-core';

const fused = tf.customGrad((a, b, save) => {
  (save as (ts: tf.Tensor[]) => void)([a as tf.Tensor, b as tf.Tensor]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
});

/** a [M,K] · b [K,N], with a wasm-friendly gradient. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return fused(a, b) as tf.Tensor2D;
}
