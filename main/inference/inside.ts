// Inside the model for one typed input: every recurrent layer's hidden states and gate activations per
// time step. The compiled graph's own inference pass with the probe's outputs on (`predict(batch,
// { probe: true })`), read by the same functions as the training probe (core/training/probe.ts), so the
// playground and the Attention & gates tab show the same numbers for the same example.
import * as tf from '@tensorflow/tfjs-core';
import type { InsideResult } from '../../core/api/playground.js';
import type { Batch } from '../../core/data/batch.js';
import type { CompiledModel } from '../../core/engine/compile.js';
import { recurrentProbeKey, unitsByTime } from '../../core/training/probe.js';

/** The largest matrix one layer sends: a typed sentence has well under 200 steps; 128 units fill a view. */
export const INSIDE_LIMITS = { units: 128, steps: 200 } as const;

/**
 * Runs `batch` (one example) and reads each recurrent layer's probe outputs. `stepsOf(node)` labels the
 * time axis of a block's layers (seq2seq: the decoder reads the target, every other block the source).
 */
export function insideOf(
  model: Pick<CompiledModel, 'predict'>,
  batch: Batch,
  stepsOf: (node: string) => string[],
  input: string,
): InsideResult {
  const found: {
    key: NonNullable<ReturnType<typeof recurrentProbeKey>>;
    shape: number[];
    data: Float32Array;
  }[] = [];
  tf.tidy(() => {
    const { outputs } = model.predict(batch, { probe: true });
    for (const [name, tensor] of Object.entries(outputs)) {
      const key = recurrentProbeKey(name);
      if (key) found.push({ key, shape: tensor.shape, data: tensor.dataSync() as Float32Array });
    }
  });
  const layers = new Map<string, InsideResult['layers'][number]>();
  for (const { key, shape, data } of found) {
    // Node ids never hold "/" (core/graph/schema.ts): the first segment is the block.
    const node = key.layer.split('/')[0]!;
    const steps = stepsOf(node);
    let layer = layers.get(key.layer);
    if (!layer) {
      layer = {
        layer: key.layer,
        node,
        steps: steps.slice(0, INSIDE_LIMITS.steps),
        units: shape[2] ?? 0,
        hidden: [],
        gates: [],
      };
      layers.set(key.layer, layer);
    }
    const values = unitsByTime(shape, data, steps.length, INSIDE_LIMITS);
    if (key.kind === 'hidden') layer.hidden = values;
    else layer.gates.push({ gate: key.gate, values });
  }
  return { input, layers: [...layers.values()], limits: { ...INSIDE_LIMITS } };
}
