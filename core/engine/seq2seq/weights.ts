// How the seq2seq functions find their weights: a lookup by name inside one node (`kernel`,
// `layer2/backward/recurrent_kernel`, `bridge/kernel`), so they work with any variable store.
import type * as tf from '@tensorflow/tfjs-core';
import type { CellConfig, CellWeights } from '../ops/recurrent.js';
import { biasShape, gateCount } from '../ops/recurrent.js';

export type WeightLookup = (name: string) => tf.Tensor;

/** A lookup over a plain record that names the missing weight and the node. */
export function lookupIn(weights: Record<string, tf.Tensor>, node = 'node'): WeightLookup {
  return (name) => {
    const w = weights[name];
    if (!w) throw new Error(`${node}: missing weight '${name}'`);
    return w;
  };
}

/** Weights of one recurrent cell under `prefix` ('' or 'layer1/forward/' …), Keras names. */
export function cellWeightsAt(lookup: WeightLookup, prefix: string): CellWeights {
  return {
    kernel: lookup(`${prefix}kernel`) as tf.Tensor2D,
    recurrentKernel: lookup(`${prefix}recurrent_kernel`) as tf.Tensor2D,
    bias: lookup(`${prefix}bias`),
  };
}

/** Shapes of one cell's weights under `prefix`. */
export function cellWeightShapes(
  cell: CellConfig,
  inputSize: number,
  prefix: string,
): Record<string, number[]> {
  const g = gateCount(cell.kind) * cell.units;
  return {
    [`${prefix}kernel`]: [inputSize, g],
    [`${prefix}recurrent_kernel`]: [cell.units, g],
    [`${prefix}bias`]: biasShape(cell),
  };
}
