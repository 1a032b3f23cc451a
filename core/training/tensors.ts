// Plain copies of tensors (shape + Float32Array) for checkpoints and rollback: no tfjs objects cross a
// process boundary or reach the disk.
import type * as tf from '@tensorflow/tfjs-core';

export interface SavedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Read asynchronously: a GPU backend (webgpu) cannot read synchronously in Node. */
export async function saveTensor(name: string, tensor: tf.Tensor): Promise<SavedTensor> {
  return { name, shape: [...tensor.shape], data: Float32Array.from((await tensor.data()) as Float32Array) };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The first index holding NaN or ±Infinity, or -1. */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i] as number)) return i;
  return -1;
}
