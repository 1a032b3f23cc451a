// Small seeded models and batches for the seq2seq tests.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../../../../core/engine/gradients.js';
import type { Batch } from '../../../../../core/data/batch.js';
import { initialValue, seeded as seededRandom } from '../../../../../core/engine/init.js';
import type { WeightLookup } from '../../../../../core/engine/seq2seq/weights.js';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
}

/** Seeded tensors for every shape, looked up by name. */
export function randomWeights(shapes: Record<string, number[]>, seed = 1): WeightLookup {
  const random = seededRandom(seed);
  const w: Record<string, tf.Tensor> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    // non-zero biases so bias paths are exercised
    const v = initialValue(name, shape, random, {}).map((x) => (x === 0 ? (random() - 0.5) * 0.2 : x));
    w[name] = tf.tensor(v, shape);
  }
  return (name) => {
    const t = w[name];
    if (!t) throw new Error(`test: no weight '${name}'`);
    return t;
  };
}

export function seededTensor(shape: number[], seed: number): tf.Tensor {
  const r = seededRandom(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * r() - 1),
    shape,
  );
}

/** Reversal task: target = reversed source then end (2); start = 1; source ids 3..V-1, 0 = padding. */
export function reversalBatch(rows: number, maxLength: number, vocabulary: number, seed: number): Batch {
  const r = seededRandom(seed);
  const S = maxLength;
  const T = maxLength + 1;
  const src = new Int32Array(rows * S);
  const sm = new Float32Array(rows * S);
  const ti = new Int32Array(rows * T);
  const to = new Int32Array(rows * T);
  const tm = new Float32Array(rows * T);
  for (let b = 0; b < rows; b++) {
    const n = 1 + Math.floor(r() * maxLength);
    const seq = Array.from({ length: n }, () => 3 + Math.floor(r() * (vocabulary - 3)));
    seq.forEach((v, i) => ((src[b * S + i] = v), (sm[b * S + i] = 1)));
    const out = [...seq].reverse().concat([2]);
    out.forEach(
      (v, i) => ((to[b * T + i] = v), (tm[b * T + i] = 1), (ti[b * T + i] = i === 0 ? 1 : out[i - 1]!)),
    );
  }
  return {
    source: { dtype: 'int32', shape: [rows, S], data: src },
    sourceMask: { dtype: 'float32', shape: [rows, S], data: sm },
    targetIn: { dtype: 'int32', shape: [rows, T], data: ti },
    targetOut: { dtype: 'int32', shape: [rows, T], data: to },
    targetMask: { dtype: 'float32', shape: [rows, T], data: tm },
  };
}

export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  if (x.length !== y.length) throw new Error(`sizes differ: ${a.shape} vs ${b.shape}`);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}
