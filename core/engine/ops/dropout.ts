// Dropout whose masks come from a given uniform source instead of tfjs's unseeded one: the training loop
// saves that source's state in checkpoints, so a resumed run draws exactly the masks an uninterrupted run
// would have. Inverted dropout: kept values are scaled by 1/keep so the expectation holds.
import * as tf from '@tensorflow/tfjs-core';

/**
 * `noiseShape` broadcasts one draw over the axes of size 1 (variational dropout: one mask per sequence
 * and feature, shape [B,1,F]).
 */
export function seededDropout<T extends tf.Tensor>(
  x: T,
  rate: number,
  random: () => number,
  noiseShape: number[] = x.shape,
): T {
  if (rate <= 0) return x;
  if (rate >= 1) return tf.zerosLike(x);
  const keep = 1 - rate;
  const size = noiseShape.reduce((a, b) => a * b, 1);
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) mask[i] = random() < keep ? 1 / keep : 0;
  return tf.mul(x, tf.tensor(mask, noiseShape)) as T;
}
