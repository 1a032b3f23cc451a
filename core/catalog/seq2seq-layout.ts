// Weight layout of the Encoder and Decoder blocks, shared by both kind files and mirrored by the engine
// (core/engine/seq2seq/encoder.ts, bridge.ts): one plain layer keeps the cell's own names (`kernel`,
// `recurrent_kernel`, `bias`), so single-layer projects saved before `layers` existed load unchanged;
// deeper stacks prefix `layer1/`, `layer2/` …; bidirectional layers add `forward/` and `backward/`.
// A decoder whose initial state is not `units` wide gets a dense bridge (`bridge/…`).
import type { InnerLayer } from './inner-layer.js';
import { innerWeights } from './inner-layer.js';
import { prefixed } from './shapes.js';
import type { WeightSpec } from './types.js';

function layerName(i: number, layers: number): string | null {
  return layers > 1 ? `layer${i + 1}` : null;
}

/** Weights of a stack of `layers` copies of `layer` (each direction when bidirectional). */
export function stackedWeights(
  layer: InnerLayer,
  inputWidth: number,
  layers: number,
  bidirectional: boolean,
): WeightSpec[] {
  const all: WeightSpec[] = [];
  const out = layer.params.units * (bidirectional ? 2 : 1);
  for (let i = 0; i < layers; i++) {
    const inner = innerWeights(layer, i === 0 ? inputWidth : out);
    const directed = bidirectional ? [...prefixed('forward', inner), ...prefixed('backward', inner)] : inner;
    const name = layerName(i, layers);
    all.push(...(name ? prefixed(name, directed) : directed));
  }
  return all;
}

/**
 * Bridge from an encoder state `stateWidth` wide to a decoder of `units`: h₀ = tanh(h W + b), and for an
 * LSTM decoder c₀ = c W_c + b_c. None when the widths already agree (the state passes straight through).
 */
export function bridgeWeights(stateWidth: number, units: number, lstm: boolean): WeightSpec[] {
  if (stateWidth === units) return [];
  const h = [
    { name: 'bridge/kernel', shape: [stateWidth, units] },
    { name: 'bridge/bias', shape: [units] },
  ];
  return lstm
    ? [
        ...h,
        { name: 'bridge/cell_kernel', shape: [stateWidth, units] },
        { name: 'bridge/cell_bias', shape: [units] },
      ]
    : h;
}
