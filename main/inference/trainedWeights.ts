// The trained weights of a project: the best (else latest) checkpoint of its most recent run that has
// one, read from the project's entries (checkpoints/<run>/best.ckpt).
import type { ProjectDoc } from '../../core/project/index.js';
import { decodeCheckpoint } from '../../core/training/checkpoint.js';
import type { WeightValues } from '../export/weights.js';
import { checkpointEntry } from '../training/runRecord.js';
import { InferenceError } from './predictor.js';

/** Optimizer memory per slot kind (`m`, `v`, `momentum`, `square`), each by weight name. */
export interface OptimizerMemory {
  kind: string;
  step: number;
  slots: Record<string, WeightValues>;
}

export interface TrainedWeights {
  weights: WeightValues;
  run: string;
  epoch: number;
  optimizer: OptimizerMemory;
}

/** `readEntry` reads a zip entry of the project (ProjectStore.readEntry or a ProjectFile's entries). */
export function readTrainedWeights(
  doc: ProjectDoc,
  readEntry: (name: string) => Uint8Array | undefined,
  which: 'best' | 'latest' = 'best',
): TrainedWeights | null {
  for (const run of [...doc.runs].reverse()) {
    const bytes = readEntry(checkpointEntry(run.id, which)) ?? readEntry(checkpointEntry(run.id, 'latest'));
    if (!bytes) continue;
    let state;
    try {
      state = decodeCheckpoint(bytes);
    } catch (error) {
      throw new InferenceError(
        `The checkpoint of run "${run.id}" cannot be read (${(error as Error).message}); train again.`,
        'checkpoints',
      );
    }
    const weights: WeightValues = {};
    for (const t of state.weights) weights[t.name] = { shape: t.shape, data: t.data };
    const slots: Record<string, WeightValues> = {};
    for (const t of state.optimizer.slots) {
      const cut = t.name.lastIndexOf('#');
      (slots[t.name.slice(cut + 1)] ??= {})[t.name.slice(0, cut)] = { shape: t.shape, data: t.data };
    }
    return {
      weights,
      run: run.id,
      epoch: state.epoch,
      optimizer: { kind: state.optimizer.kind, step: state.optimizer.step, slots },
    };
  }
  return null;
}

export const NO_WEIGHTS_REASON = 'The project has no trained weights yet: train it first';
/** In the studio's words; the CLI says it in its own (predict.ts, `inferenceStep`). */
export const NO_WEIGHTS = `${NO_WEIGHTS_REASON} (Train in the toolbar).`;
