// The device path on webgpu (here: SwiftShader) against the PyTorch fixtures the wasm host path passes:
// outputs, final states and all gradients within 1e-4 (relative above 1). Fixture shapes are tiny (B3,
// T5, H4). Every fixture runs through the same device-path code on cpu (core/engine/ops/devicePath.test.ts);
// here, where SwiftShader compiles and emulates every kernel on the CPU, each cell, wrapper and op kind
// runs in its hardest variant (masked; reversed for the cells), so the webgpu files stay near a minute.
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
import {
  ATTENTION_CASES,
  SELF_ATTENTION_CASES,
  STATE_SPACE_CASES,
  checkAttention,
  checkSelfAttention,
  checkStateSpace,
} from '../core/engine/ops/deviceSequenceOpsParity.js';
import { gpu } from './gpuSetup.js';

// Every cell's hardest variant; every variant of the Elman and GRU cells (all fused WGSL kernels on
// webgpu; every cell is also compared with the tfjs-ops path in fusedKernels.test.ts).
const ON_WEBGPU = LAYER_FIXTURES.filter(
  (n) =>
    n.endsWith('-masked-backwards') ||
    /^layer-(elman-tanh|elman-relu|gru-reset-after|gru-reset-before)/.test(n),
);

describe.each(ON_WEBGPU)('webgpu, %s', (name) => {
  it.skipIf(!gpu.ready)(`matches PyTorch forward and all gradients ${gpu.reason}`, async () => {
    if (!usesDevicePath()) throw new Error('webgpu should take the device path');
    await checkLayerFixture(name);
  });
});

describe.each(BIDIRECTIONAL_FIXTURES.filter((n) => n === 'gru-concat'))(
  'webgpu, bidirectional-%s',
  (name) => {
    it.skipIf(!gpu.ready)(`matches PyTorch output and gradients ${gpu.reason}`, () =>
      checkBidirectionalFixture(name),
    );
  },
);

describe.each(STACK_FIXTURES.filter((n) => n === 'lstm-residual'))('webgpu, stack-%s', (name) => {
  it.skipIf(!gpu.ready)(`matches PyTorch output and gradients ${gpu.reason}`, () => checkStackFixture(name));
});

describe.each(ATTENTION_CASES)('webgpu, %s attention (scaled: %s)', (score, scaled) => {
  it.skipIf(!gpu.ready)(`matches PyTorch outputs and gradients ${gpu.reason}`, () =>
    checkAttention(score, scaled),
  );
});

describe.each(SELF_ATTENTION_CASES.filter(([name]) => name === 'causal'))(
  'webgpu, self-attention (%s)',
  (name, causal, positional) => {
    it.skipIf(!gpu.ready)(`matches PyTorch outputs and gradients ${gpu.reason}`, () =>
      checkSelfAttention(name, causal, positional),
    );
  },
);

describe.each(STATE_SPACE_CASES)('webgpu, state-space (%s)', (name, complex) => {
  it.skipIf(!gpu.ready)(`matches PyTorch outputs and gradients ${gpu.reason}`, () =>
    checkStateSpace(name, complex),
  );
});
