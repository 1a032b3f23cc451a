// What the loop needs from the data pipeline: examples it can batch by index. The loop owns the order
// (seeded, see plan.ts) so a resumed run rebuilds exactly the batches the interrupted one would have seen.
import type { Batch } from '../data/batch.js';
import type { TaskId } from '../data/spec.js';

export interface ExampleSource {
  /** Number of examples. */
  readonly size: number;
  /** Real length of each example, for length bucketing; absent = no bucketing. */
  readonly lengths?: ArrayLike<number>;
  /** The padded batch holding these examples, in this order. */
  batch(indices: number[]): Batch;
  /** The example as the user reads it (probe labels); absent = token ids are shown. */
  describe?(index: number): { tokens: string[]; targetTokens?: string[] };
}

export interface TrainingData {
  task?: TaskId;
  train: ExampleSource;
  validation?: ExampleSource;
}

/** Real positions in a batch: the sum of its mask (target mask for seq2seq), else its batch size. */
export function realPositions(batch: Batch): number {
  const mask = batch.targetMask ?? batch.mask;
  if (mask) {
    let n = 0;
    for (let i = 0; i < mask.data.length; i++) n += mask.data[i] as number;
    return n;
  }
  const any = batch.tokens ?? batch.features ?? batch.source;
  return any?.shape[0] ?? 0;
}

/** Where a batch's float inputs or targets hold NaN/Infinity, described for an error message. */
export function nonFiniteInBatch(batch: Batch): string | null {
  for (const [role, tensor] of Object.entries(batch)) {
    if (!tensor || tensor.dtype !== 'float32') continue;
    for (let i = 0; i < tensor.data.length; i++) {
      if (!Number.isFinite(tensor.data[i] as number)) {
        const perExample = tensor.data.length / (tensor.shape[0] ?? 1);
        return `${role} of example ${Math.floor(i / perExample) + 1} in the batch holds ${tensor.data[i]}`;
      }
    }
  }
  return null;
}
