// cos and sin to float32 precision from elementwise tfjs ops. Why: WGSL lets a GPU's cos/sin be off by
// up to 2^-11 absolute (SwiftShader measured 1.6e-4 at cos(0.045)), which puts the state-space layer's
// discretised Ā 4e-4 away from PyTorch. Range reduction to [-π, π], a Taylor series at
// x/4 (|x/4| ≤ π/4: the x^13 term is below 1e-11), then the double-angle formulas
// twice. Autograd differentiates it as is.
import * as tf from '@tensorflow/tfjs-core';

/** [cos x, sin x]. */
export function cosSin(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const turn = 2 * Math.PI;
    const reduced = tf.sub(x, tf.mul(tf.round(tf.div(x, turn)), turn));
    const q = tf.mul(reduced, 0.25);
    const q2 = tf.square(q);
    // sin q = q(1 − q²/6(1 − q²/20(1 − q²/42(1 − q²/72(1 − q²/110))))),
    // cos likewise with 2, 12, 30, 56, 90, 132.
    const series = (denominators: number[]) =>
      denominators.reduceRight<tf.Tensor>((acc, d) => tf.sub(1, tf.mul(tf.div(q2, d), acc)), tf.onesLike(q2));
    let s: tf.Tensor = tf.mul(q, series([6, 20, 42, 72, 110, 156]));
    let c: tf.Tensor = series([2, 12, 30, 56, 90, 132]);
    for (let i = 0; i < 2; i++) {
      const s2 = tf.mul(tf.mul(s, c), 2);
      c = tf.sub(tf.square(c), tf.square(s));
      s = s2;
    }
    return [c, s];
  });
}
