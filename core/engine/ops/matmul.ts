// x·W + b with gradients that suit each backend. tfjs's own MatMul gradient passes transpose
// flags, which leave the wasm backend's fast path: measured here for a [6400,256]·[256,65] head, 127 ms
// per flagged gradient product vs 11–27 ms with an explicit transpose. Where the engine's own wasm
// kernel runs (relaxed SIMD), it takes all three products, transposed operands packed as they are. On
// webgpu it is the other way round: tfjs-backend-webgpu reads a transposed operand through its indexing
// at no cost, while an explicit 2-D transpose is one more dispatch and a copy (a shared-memory tiled
// transpose: about 0.2 s of lm-lstm's step on the SwiftShader emulator for [1600,64],
// scripts/bench/webgpuProfile.mts). The bias's gradient (Σ over rows of ∂loss/∂y) is columnSums, which
// on webgpu sums without a transpose either.
import * as tf from '@tensorflow/tfjs-core';
import { columnSums } from './device/columnSums.js';
import { ownMatMul } from './ownMatMul.js';

/** ∂loss/∂a and ∂loss/∂b of a·b, given ∂loss/∂(a·b). */
function productGrads(dy: tf.Tensor2D, a: tf.Tensor2D, b: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  if (tf.getBackend() === 'webgpu') return [tf.matMul(dy, b, false, true), tf.matMul(a, dy, true, false)];
  // wasm with the engine's own kernel: the transposed operands are packed, never copied transposed.
  const da = ownMatMul(dy, b, false, true);
  const db = da && ownMatMul(a, dy, true, false);
  if (da && db) return [da, db];
  da?.dispose();
  return [tf.matMul(dy, tf.transpose(b)), tf.matMul(tf.transpose(a), dy)];
}

const affine = tf.customGrad((a, b, bias, save) => {
  (save as (ts: tf.Tensor[]) => void)([a as tf.Tensor, b as tf.Tensor]);
  return {
    // On webgpu the bias is added inside the product's kernel (tfjs's fused matMul): one pass, not two.
    value:
      tf.getBackend() === 'webgpu'
        ? tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: bias as tf.Tensor })
        : tf.tidy(() =>
            tf.add(
              ownMatMul(a as tf.Tensor2D, b as tf.Tensor2D) ?? tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
              bias as tf.Tensor,
            ),
          ),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [...productGrads(dy as tf.Tensor2D, sa, sb), columnSums(dy as tf.Tensor2D)];
    },
  };
});

/** a [M,K] · b [K,N] + bias [N], with a gradient that suits the backend. */
export function matMulBias(a: tf.Tensor2D, b: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return affine(a, b, bias) as tf.Tensor2D;
}
