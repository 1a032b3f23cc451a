// Embedding lookup: the rows of a [V,E] table picked by integer token ids, and the table's gradient (each
// id's rows of ∂loss/∂output summed into its row, as tf.gather's gradient does).
//
// Why not tf.gather: on the wasm backend its GatherV2 kernel took 7–8 ms for 1600 rows of 100 floats
// (tag-bilstm's batch; scripts/bench/embeddingLookup.mts), where copying the rows takes a fraction of a
// millisecond. Here the rows are copied in JS straight out of the table's memory (stepKernels.readNow:
// no copy of the table on wasm). Ids outside the vocabulary are refused with the position, as the cpu
// backend's gather refuses them (wasm's would read past the table).
import * as tf from '@tensorflow/tfjs-core';
import { embeddingGradient } from './device/embeddingGradient.js';
import { usesDevicePath } from './device/path.js';
import { readNow } from './stepKernels.js';

/**
 * `inRange`: the ids are known to lie in the table (the model's own predictions, bounded by its head):
 * on a device backend they are then not read back to be checked.
 */
export function embeddingLookup(
  table: tf.Tensor2D,
  ids: tf.Tensor,
  o: { inRange?: boolean } = {},
): tf.Tensor {
  if (o.inRange && usesDevicePath()) return tf.gather(table, ids);
  const [V, E] = table.shape;
  const idValues = Int32Array.from(ids.dataSync());
  const n = idValues.length;
  for (let i = 0; i < n; i++) {
    const id = idValues[i]!;
    if (!(id >= 0 && id < V))
      throw new Error(
        `embedding: token id ${id} at position ${i} of the batch ` +
          `is outside the vocabulary (ids 0 to ${V - 1})`,
      );
  }
  // On a device backend the table stays there: its own gather (and segment-sum gradient) reads nothing back.
  // On webgpu the gradient groups the positions by id on the host (embeddingGradient.ts says why).
  if (usesDevicePath() && tf.getBackend() !== 'webgpu') return tf.gather(table, ids);
  if (usesDevicePath()) {
    const gathered = tf.customGrad((t) => ({
      value: tf.gather(t as tf.Tensor, ids),
      gradFunc: (dy: tf.Tensor) => embeddingGradient(tf.reshape(dy, [n, E]) as tf.Tensor2D, idValues, V),
    }));
    return gathered(table);
  }
  const lookup = tf.customGrad((t) => {
    const out = new Float32Array(n * E);
    const rows = readNow(t as tf.Tensor);
    for (let i = 0; i < n; i++) {
      const at = idValues[i]! * E;
      out.set(rows.subarray(at, at + E), i * E);
    }
    return {
      value: tf.tensor(out, [...ids.shape, E], 'float32'),
      gradFunc: (dy: tf.Tensor) =>
        tf.unsortedSegmentSum(tf.reshape(dy, [n, E]), tf.tensor1d(idValues, 'int32'), V),
    };
  });
  return lookup(table);
}
