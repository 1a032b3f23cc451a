// The device path of the recurrent ops (core/engine/ops/device: plain tfjs ops, nothing read back),
// forced on the cpu backend, against every PyTorch layer fixture the host path passes. The same check
// runs on webgpu in test/unit/webgpu/deviceParity.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { setDevicePath } from '../../../../../core/engine/ops/device/path.js';
import {
  BIDIRECTIONAL_FIXTURES,
  LAYER_FIXTURES,
  STACK_FIXTURES,
  checkBidirectionalFixture,
  checkLayerFixture,
  checkStackFixture,
} from './deviceParity.js';
import {
  ATTENTION_CASES,
  SELF_ATTENTION_CASES,
  STATE_SPACE_CASES,
  checkAttention,
  checkSelfAttention,
  checkStateSpace,
} from './deviceSequenceOpsParity.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  setDevicePath(true);
});
afterAll(() => setDevicePath(null));

describe.each(LAYER_FIXTURES)('device path, %s', (name) => {
  it('matches PyTorch forward and all gradients', () => checkLayerFixture(name));
});

describe.each(BIDIRECTIONAL_FIXTURES)('device path, bidirectional-%s', (name) => {
  it('matches PyTorch output and gradients', () => checkBidirectionalFixture(name));
});

describe.each(STACK_FIXTURES)('device path, stack-%s', (name) => {
  it('matches PyTorch output and gradients', () => checkStackFixture(name));
});

describe.each(ATTENTION_CASES)('device path, %s attention (scaled: %s)', (score, scaled) => {
  it('matches PyTorch outputs and gradients', () => checkAttention(score, scaled));
});

describe.each(SELF_ATTENTION_CASES)('device path, self-attention (%s)', (name, causal, positional) => {
  it('matches PyTorch outputs and gradients', () => checkSelfAttention(name, causal, positional));
});

describe.each(STATE_SPACE_CASES)('device path, state-space (%s)', (name, complex) => {
  it('matches PyTorch outputs and gradients', () => checkStateSpace(name, complex));
});
