// Bidirectional (every merge mode) and stacked (with and without residuals) recurrent layers against
// PyTorch, on masked variable-length batches: merged outputs and the gradient of every weight and the input.
// The host path on cpu; the checks are deviceParity.ts's, shared with the device path.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, it } from 'vitest';
import {
  BIDIRECTIONAL_FIXTURES,
  STACK_FIXTURES,
  checkBidirectionalFixture,
  checkStackFixture,
} from './deviceParity.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(BIDIRECTIONAL_FIXTURES)('bidirectional-%s', (name) => {
  it('matches PyTorch output and gradients', () => checkBidirectionalFixture(name));
});

describe.each(STACK_FIXTURES)('stack-%s', (name) => {
  it('matches PyTorch output and gradients', () => checkStackFixture(name));
});
