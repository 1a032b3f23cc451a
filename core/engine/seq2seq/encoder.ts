// The encoder: a recurrent stack over the embedded source, optionally bidirectional, returning every step
// of the top layer (the memory attention reads) and each layer's final state (the decoder's start).
// Weight names: one plain layer uses the cell's own names (`kernel`, `recurrent_kernel`, `bias`, as the
// catalog's Encoder lists them); deeper stacks prefix `layer1/`, `layer2/` …; bidirectional layers add
// `forward/` and `backward/` (as the catalog's Stack and Bidirectional wrappers do).
import * as tf from '@tensorflow/tfjs-core';
import { bidirectionalSequence, runCell, type CellConfig, type CellState } from '../ops/recurrent.js';
import { cellWeightShapes, cellWeightsAt, type WeightLookup } from './weights.js';

export interface EncoderSpec {
  cell: CellConfig;
  layers: number;
  bidirectional: boolean;
}

export interface EncoderResult {
  /** [B,S,M]: M = units, or 2·units when bidirectional (directions concatenated). */
  memory: tf.Tensor3D;
  /** Final state per layer (bidirectional: forward and backward concatenated, [B,2·units]). */
  states: CellState[];
}

export function layerPrefix(layer: number, layers: number): string {
  return layers > 1 ? `layer${layer + 1}/` : '';
}

/** `mask`: the source mask [B*S] batch-major, as the fused ops take it (null when nothing is padded). */
export function encode(
  x: tf.Tensor3D,
  m: Float32Array | null,
  spec: EncoderSpec,
  lookup: WeightLookup,
): EncoderResult {
  let y = x;
  const states: CellState[] = [];
  for (let i = 0; i < spec.layers; i++) {
    const p = layerPrefix(i, spec.layers);
    if (spec.bidirectional) {
      const r = bidirectionalSequence(
        spec.cell,
        y,
        cellWeightsAt(lookup, `${p}forward/`),
        cellWeightsAt(lookup, `${p}backward/`),
        'concat',
        { mask: m },
      );
      y = r.sequence;
      states.push({
        h: tf.concat([r.forward.h, r.backward.h], 1),
        c: r.forward.c && r.backward.c ? tf.concat([r.forward.c, r.backward.c], 1) : undefined,
      });
    } else {
      const r = runCell(spec.cell, y, cellWeightsAt(lookup, p), {}, { mask: m });
      y = r.sequence;
      states.push({ h: r.h, c: r.c });
    }
  }
  return { memory: y, states };
}

export function encoderWeightShapes(spec: EncoderSpec, inputSize: number): Record<string, number[]> {
  const shapes: Record<string, number[]> = {};
  let size = inputSize;
  for (let i = 0; i < spec.layers; i++) {
    const p = layerPrefix(i, spec.layers);
    if (spec.bidirectional) {
      Object.assign(
        shapes,
        cellWeightShapes(spec.cell, size, `${p}forward/`),
        cellWeightShapes(spec.cell, size, `${p}backward/`),
      );
    } else {
      Object.assign(shapes, cellWeightShapes(spec.cell, size, p));
    }
    size = spec.bidirectional ? 2 * spec.cell.units : spec.cell.units;
  }
  return shapes;
}

/** Width of the encoder's memory and of each final state. */
export function encoderOutputSize(spec: EncoderSpec): number {
  return spec.bidirectional ? 2 * spec.cell.units : spec.cell.units;
}
