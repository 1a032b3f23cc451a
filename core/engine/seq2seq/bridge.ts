// Hands the encoder's final states to the decoder. Equal sizes pass straight through; otherwise a dense
// bridge maps them: h0 = tanh(h_enc Wb + bb), and for an LSTM decoder c0 = c_enc Wc + bc (a cell state is
// unbounded, so no squashing). Layers pair up one to one when the counts match; otherwise every decoder
// layer starts from the top encoder layer's state. An LSTM decoder after a GRU/Elman encoder starts with
// c0 = 0 (Keras does the same when handed only h). The bridge's weights are the decoder block's
// (core/catalog/seq2seq-layout.ts `bridgeWeights`): the cell bridge only where a cell state comes in.
import * as tf from '@tensorflow/tfjs-core';
import type { CellState } from '../ops/recurrent.js';
import type { WeightLookup } from './weights.js';

export interface BridgeSpec {
  encoderSize: number;
  decoderUnits: number;
  decoderIsLstm: boolean;
}

export function needsBridge(spec: BridgeSpec): boolean {
  return spec.encoderSize !== spec.decoderUnits;
}

export function bridgeStates(
  encoder: CellState[],
  decoderLayers: number,
  spec: BridgeSpec,
  lookup: WeightLookup,
): CellState[] {
  if (encoder.length === 0) throw new Error('bridge: the encoder produced no state');
  const top = encoder[encoder.length - 1]!;
  const pick = (i: number) => (encoder.length === decoderLayers ? encoder[i]! : top);
  return Array.from({ length: decoderLayers }, (_, i) => {
    const s = pick(i);
    if (!s.h) throw new Error('bridge: the encoder state has no h');
    const batch = s.h.shape[0];
    if (!needsBridge(spec)) {
      return { h: s.h, c: spec.decoderIsLstm ? (s.c ?? tf.zeros([batch, spec.decoderUnits])) : undefined };
    }
    const h = tf.tanh(
      tf.add(tf.matMul(s.h, lookup('bridge/kernel') as tf.Tensor2D), lookup('bridge/bias')),
    ) as tf.Tensor2D;
    if (!spec.decoderIsLstm) return { h };
    const c = s.c
      ? (tf.add(
          tf.matMul(s.c, lookup('bridge/cell_kernel') as tf.Tensor2D),
          lookup('bridge/cell_bias'),
        ) as tf.Tensor2D)
      : (tf.zeros([batch, spec.decoderUnits]) as tf.Tensor2D);
    return { h, c };
  });
}
