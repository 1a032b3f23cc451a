// The device path on webgpu (here: SwiftShader) against every PyTorch recurrent-layer fixture the wasm
// host path passes: outputs, final states and all gradients within 1e-4 (relative above 1). Fixture
// shapes are tiny (B3, T5, H4).
import { describe, it } from 'vitest';
import { usesDevicePath } from '../../../core/engine/ops/device/path.js';
import {
  BIDIRECTIONAL_FIXTURES,
  LAYER_FIXTURES,
  STACK_FIXTURES,
  checkBidirectionalFixture,
  checkLayerFixture,
  checkStackFixture,
} from '../core/engine/ops/deviceParity.js';
import { gpu } from './gpuSetup.js';

describe.each(LAYER_FIXTURES)('webgpu, %s', (name) => {
  it.skipIf(!gpu.ready)(`matches PyTorch forward and all gradients ${gpu.reason}`, async () => {
    if (!usesDevicePath()) throw new Error('webgpu should take the device path');
    await checkLayerFixture(name);
  });
});

describe.each(BIDIRECTIONAL_FIXTURES)('webgpu, bidirectional-%s', (name) => {
  it.skipIf(!gpu.ready)(`matches PyTorch output and gradients ${gpu.reason}`, () =>
    checkBidirectionalFixture(name),
  );
});

describe.each(STACK_FIXTURES)('webgpu, stack-%s', (name) => {
  it.skipIf(!gpu.ready)(`matches PyTorch output and gradients ${gpu.reason}`, () => checkStackFixture(name));
});
