// The backend ladder: auto lands on wasm here (no hardware WebGPU adapter, tfjs-node not installed) after
// one clear line per rung passed by; a named rung that cannot start falls down the ladder, never up, with a
// sentence for the user saying so; cpu is always there. (A training run's auto then times the rungs that
// start: autoBackend.test.ts.)
// On wasm, the registered UnsortedSegmentSum makes the embedding (gather) gradient work and match cpu.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { isBackendChoice, selectBackend } from '../../../../main/engine/backend.js';
import '../../../../core/engine/gradients.js';

function embeddingGradient(): number[] {
  return tf.tidy(() => {
    const table = tf.variable(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]));
    const ids = tf.tensor2d(
      [
        [1, 3, 1],
        [0, 3, 2],
      ],
      [2, 3],
      'int32',
    );
    const weights = tf.tensor3d(
      Array.from({ length: 12 }, (_, i) => i + 1),
      [2, 3, 2],
    );
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(tf.gather(table, ids), weights)) as tf.Scalar,
      [table],
    );
    const g = Array.from(grads[table.name]!.dataSync());
    table.dispose();
    return g;
  });
}

describe('selectBackend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('validates choices', () => {
    expect(isBackendChoice('wasm')).toBe(true);
    expect(isBackendChoice('gpu')).toBe(false);
  });

  it('auto falls back to wasm with one line per missing native backend', async () => {
    const lines: string[] = [];
    const report = await selectBackend('auto', (l) => lines.push(l));
    expect(report.name).toBe('wasm');
    expect(report.tfjsBackend).toBe('wasm');
    expect(report.description).toMatch(/^wasm \((SIMD \+ FMA|SIMD|no SIMD), 1 thread\)$/);
    // webgpu: no adapter at all, or only a software one (SwiftShader) which auto does not take.
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^backend webgpu unavailable \((no WebGPU adapter|only a software adapter)/);
    expect(lines[1]).toBe('backend tensorflow unavailable (not installed); trying the next one');
  });

  it('a named native backend that is missing falls down the ladder, and says so for the user', async () => {
    const report = await selectBackend('tensorflow-gpu');
    expect(report.name).toBe('wasm');
    expect(report.label).toBe('wasm');
    expect(report.fallbacks).toHaveLength(2);
    expect(report.choiceRefused).toBe(
      'The tensorflow-gpu backend was chosen but could not start: not installed. ' +
        'This run trains on wasm instead.',
    );
  });

  it('auto, and a named rung that starts, refuse nothing', async () => {
    expect((await selectBackend('auto')).choiceRefused).toBeUndefined();
    expect((await selectBackend('wasm')).choiceRefused).toBeUndefined();
  });

  it('the embedding gradient on wasm (UnsortedSegmentSum) equals the one on cpu', async () => {
    await selectBackend('wasm');
    const onWasm = embeddingGradient();
    await selectBackend('cpu');
    const onCpu = embeddingGradient();
    // Row k sums the upstream gradients of every position holding id k:
    // id 1 at (0,0),(0,2); id 3 at (0,1),(1,1).
    expect(onCpu).toEqual([7, 8, 1 + 5, 2 + 6, 11, 12, 3 + 9, 4 + 10]);
    expect(onWasm).toEqual(onCpu);
  });
});
