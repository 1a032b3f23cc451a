// Layer normalisation over the last axis (Ba et al. 2016), as torch.nn.LayerNorm (biased variance, eps
// inside the square root). Autograd gives the backward pass.
import * as tf from '@tensorflow/tfjs-core';

export const LAYER_NORM_EPSILON = 1e-5;

export function layerNorm<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon = LAYER_NORM_EPSILON,
): T {
  const axis = x.rank - 1;
  const { mean, variance } = tf.moments(x, axis, true);
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)));
  return tf.add(tf.mul(normed, gamma), beta) as T;
}
