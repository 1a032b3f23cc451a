// Copying a model's weights out (checkpoints, the in-memory last good state) and back in (resume,
// rollback), with errors that name the weight when a checkpoint does not fit the model.
import * as tf from '@tensorflow/tfjs-core';
import type { NamedWeight } from '../engine/types.js';
import { sameShape, saveTensor, type SavedTensor } from './tensors.js';

export function saveWeights(weights: NamedWeight[]): Promise<SavedTensor[]> {
  return Promise.all(weights.map((w) => saveTensor(w.name, w.variable)));
}

export function restoreWeights(weights: NamedWeight[], saved: SavedTensor[]): void {
  const byName = new Map(saved.map((s) => [s.name, s]));
  for (const w of weights) {
    const s = byName.get(w.name);
    if (!s) throw new Error(`The checkpoint has no weight "${w.name}": it was saved from a different model.`);
    if (!sameShape(s.shape, w.variable.shape)) {
      throw new Error(
        `Weight "${w.name}" is [${s.shape}] in the checkpoint but [${w.variable.shape}] in the model.`,
      );
    }
  }
  for (const w of weights) {
    const s = byName.get(w.name) as SavedTensor;
    tf.tidy(() => w.variable.assign(tf.tensor(s.data, s.shape, 'float32')));
  }
}

export function parameterCount(weights: NamedWeight[]): number {
  return weights.reduce((n, w) => n + w.variable.size, 0);
}
