// Fused Elman / LSTM / GRU ops against PyTorch: outputs, final states and every gradient (weights,
// input, initial states), unmasked, masked variable-length, and right-to-left.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, it } from 'vitest';
import { LAYER_FIXTURES, checkLayerFixture } from './deviceParity.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(LAYER_FIXTURES)('%s', (name) => {
  it('matches PyTorch forward and all gradients', () => checkLayerFixture(name));
});
