// The state-space layer's diagonal recurrence on the device path: h_t = a ⊙ h_{t-1} + u_t (complex, as a
// leading axis of 2), a padded step holding the state. Per step a few elementwise ops on [B,N]; the
// gradient is tfjs autograd through them (real-valued, so it equals the host scan's conjugate rule),
// with nothing read back.
import * as tf from '@tensorflow/tfjs-core';

/** u [2,B,T,N], a [2,N], mask [B,T], h0 [2,B,N] → h [2,B,T,N]; same contract as ../diagonalScan.ts. */
export function diagonalScanOnDevice(
  u: tf.Tensor4D,
  a: tf.Tensor2D,
  mask: tf.Tensor2D,
  h0: tf.Tensor3D,
): tf.Tensor4D {
  return tf.tidy(() => {
    const T = u.shape[2];
    const [ar, ai] = tf.unstack(a).map((v) => tf.expandDims(v, 0)) as [tf.Tensor2D, tf.Tensor2D];
    const [ur, ui] = tf.unstack(u).map((v) => tf.unstack(v, 1)) as [tf.Tensor[], tf.Tensor[]];
    const masks = tf.unstack(mask, 1).map((m) => tf.expandDims(m, 1));
    let [re, im] = tf.unstack(h0) as [tf.Tensor, tf.Tensor];
    const outRe: tf.Tensor[] = [];
    const outIm: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const m = masks[t]!;
      const nr = tf.add(tf.sub(tf.mul(ar, re), tf.mul(ai, im)), ur[t]!);
      const ni = tf.add(tf.add(tf.mul(ar, im), tf.mul(ai, re)), ui[t]!);
      re = tf.add(re, tf.mul(m, tf.sub(nr, re)));
      im = tf.add(im, tf.mul(m, tf.sub(ni, im)));
      outRe.push(re);
      outIm.push(im);
    }
    return tf.stack([tf.stack(outRe, 1), tf.stack(outIm, 1)]) as tf.Tensor4D;
  });
}
