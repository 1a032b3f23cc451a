// The recurrence at the heart of the state-space layer: h_t = a ⊙ h_{t-1} + u_t with a complex diagonal
// `a` shared over the batch, run as one fused loop over typed arrays with its backward pass written beside
// it (a per-step tfjs op chain would be ~T small kernels per step; this is two passes over memory).
// Padded steps (mask 0) hold the state: h_t = h_{t-1}, and receive no input.
// Complex numbers travel as a leading axis of 2 (real, imaginary) so one tensor carries them.
import * as tf from '@tensorflow/tfjs-core';
import { diagonalScanOnDevice } from './device/diagonalScan.js';
import { usesDevicePath } from './device/path.js';

/**
 * Runs the scan: u [2,B,T,N], a [2,N], mask [B,T], h0 [2,B,N] -> h [2,B,T,N].
 * Gradients use the convention g = ∂L/∂Re + i ∂L/∂Im, under which backprop through a product
 * multiplies by the conjugate: ∂h_{t-1} += conj(a)·c_t, ∂a += conj(h_{t-1})·c_t, ∂u_t = c_t.
 */
const scan = tf.customGrad<tf.Tensor4D>((...args) => {
  const [u, a, mask, h0] = args as [tf.Tensor4D, tf.Tensor2D, tf.Tensor2D, tf.Tensor3D];
  const [, b, t, n] = u.shape;
  const ud = u.dataSync() as Float32Array;
  const ad = a.dataSync() as Float32Array;
  const md = mask.dataSync() as Float32Array;
  const h0d = h0.dataSync() as Float32Array;
  const plane = b * t * n; // offset of the imaginary part in u and h
  const h = new Float32Array(2 * plane);
  for (let bi = 0; bi < b; bi++) {
    for (let j = 0; j < n; j++) {
      let re = h0d[bi * n + j]!;
      let im = h0d[b * n + bi * n + j]!;
      const ar = ad[j]!;
      const ai = ad[n + j]!;
      for (let ti = 0; ti < t; ti++) {
        const idx = (bi * t + ti) * n + j;
        if (md[bi * t + ti]! > 0) {
          const nr = ar * re - ai * im + ud[idx]!;
          im = ar * im + ai * re + ud[plane + idx]!;
          re = nr;
        }
        h[idx] = re;
        h[plane + idx] = im;
      }
    }
  }
  const value = tf.tensor4d(h, [2, b, t, n]);
  const gradFunc = (dy: tf.Tensor4D) => {
    const g = dy.dataSync() as Float32Array;
    const du = new Float32Array(2 * plane);
    const da = new Float32Array(2 * n);
    const dh0 = new Float32Array(2 * b * n);
    for (let bi = 0; bi < b; bi++) {
      for (let j = 0; j < n; j++) {
        const ar = ad[j]!;
        const ai = ad[n + j]!;
        let cr = 0; // gradient flowing into h_t from later steps
        let ci = 0;
        let dar = 0;
        let dai = 0;
        for (let ti = t - 1; ti >= 0; ti--) {
          const idx = (bi * t + ti) * n + j;
          cr += g[idx]!;
          ci += g[plane + idx]!;
          if (md[bi * t + ti]! > 0) {
            du[idx] = cr;
            du[plane + idx] = ci;
            const pr = ti > 0 ? h[idx - n]! : h0d[bi * n + j]!;
            const pi = ti > 0 ? h[plane + idx - n]! : h0d[b * n + bi * n + j]!;
            dar += pr * cr + pi * ci;
            dai += pr * ci - pi * cr;
            const nr = ar * cr + ai * ci;
            ci = ar * ci - ai * cr;
            cr = nr;
          }
        }
        da[j] = da[j]! + dar;
        da[n + j] = da[n + j]! + dai;
        dh0[bi * n + j] = cr;
        dh0[b * n + bi * n + j] = ci;
      }
    }
    return [
      tf.tensor4d(du, [2, b, t, n]),
      tf.tensor2d(da, [2, n]),
      tf.zerosLike(mask),
      tf.tensor3d(dh0, [2, b, n]),
    ];
  };
  return { value, gradFunc };
});

export function diagonalScan(
  u: tf.Tensor4D,
  a: tf.Tensor2D,
  mask: tf.Tensor2D,
  h0: tf.Tensor3D,
): tf.Tensor4D {
  if (usesDevicePath()) return diagonalScanOnDevice(u, a, mask, h0);
  return scan(u, a, mask, h0);
}
