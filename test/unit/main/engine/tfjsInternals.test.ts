// The one module that reads private tfjs APIs: it must pass on the pinned tfjs, on both CPU rungs, and
// fail with a TfjsInternalsError that names the problem when any private part is missing.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../main/engine/backend.js';
import {
  PINNED_TFJS_VERSION,
  TfjsInternalsError,
  activeWasm,
  checkTfjsInternals,
  checkTfjsVersion,
  runKernelFunc,
  wasmAccessOf,
} from '../../../../core/engine/tfjsInternals.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('tfjs version', () => {
  it('accepts the installed tfjs, which is the pinned release', () => {
    expect(tf.version_core).toBe(PINNED_TFJS_VERSION);
    expect(() => checkTfjsVersion()).not.toThrow();
  });

  it('refuses another release, naming both versions', () => {
    expect(() => checkTfjsVersion('4.23.0')).toThrow(TfjsInternalsError);
    expect(() => checkTfjsVersion('4.23.0')).toThrow(/expected tfjs-core 4\.22\.0, found 4\.23\.0/);
  });
});

describe.each(['cpu', 'wasm'] as const)('self-test on %s', (rung) => {
  it('passes, and the wasm internals are present exactly on wasm', async () => {
    const report = await selectBackend(rung);
    expect(report.name).toBe(rung);
    expect(() => checkTfjsInternals()).not.toThrow();
    expect(activeWasm() !== null).toBe(rung === 'wasm');
  });
});

describe('missing internals fail loudly', () => {
  it('a wasm backend without its module or tensor table', () => {
    expect(() => wasmAccessOf({ wasm: {} })).toThrow(TfjsInternalsError);
    expect(() => wasmAccessOf(null)).toThrow(/dataIdMap/);
  });

  it('an engine without runKernelFunc', async () => {
    await selectBackend('cpu');
    const engine = tf.engine() as unknown as Record<string, unknown>;
    engine.runKernelFunc = undefined;
    try {
      const call = () =>
        runKernelFunc({ forwardFunc: () => tf.scalar(1), backwardsFunc: () => ({}), inputs: {} });
      expect(call).toThrow(/tf\.engine\(\) has no runKernelFunc/);
      expect(() => checkTfjsInternals()).toThrow(TfjsInternalsError);
    } finally {
      delete engine.runKernelFunc;
    }
    expect(() => checkTfjsInternals()).not.toThrow();
  });
});
