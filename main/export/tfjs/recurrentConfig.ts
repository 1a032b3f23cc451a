// Keras configs of recurrent layers for the tfjs topology: stock LSTM, SimpleRNN and reset-before GRU;
// the studio's reset-after GRU cell in a StudioRNN; any of them as a StudioDecoder (started from a state).
import type { recurrentLayer } from '../plan.js';

export type Json = Record<string, unknown>;

const zeros = { class_name: 'Zeros', config: {} };

/** Keras config of one recurrent layer (or the RNN wrapper of a studio GRU cell). */
export function recurrentConfig(
  name: string,
  layer: ReturnType<typeof recurrentLayer>,
  returnSequences: boolean,
  returnState: boolean,
  custom: Set<string>,
): Json {
  const p = layer.params;
  const common = {
    name,
    trainable: true,
    return_sequences: returnSequences,
    return_state: returnState,
    go_backwards: false,
    stateful: false,
    unroll: false,
  };
  const init = { kernel_initializer: zeros, recurrent_initializer: zeros, bias_initializer: zeros };
  if (layer.kind === 'gru' && p.resetAfter !== false) {
    custom.add('StudioGRUCell');
    custom.add('StudioRNN');
    return {
      class_name: 'StudioRNN',
      config: {
        ...common,
        cell: {
          class_name: 'StudioGRUCell',
          config: { name: `${name}-cell`, units: p.units, trainable: true },
        },
      },
    };
  }
  const gates = { units: p.units, use_bias: true, ...init, dropout: 0, recurrent_dropout: 0 };
  if (layer.kind === 'lstm') {
    // recurrent_activation must be named: tfjs' default is hard_sigmoid.
    return {
      class_name: 'LSTM',
      config: {
        ...common,
        ...gates,
        activation: 'tanh',
        recurrent_activation: 'sigmoid',
        unit_forget_bias: false,
        implementation: 1,
      },
    };
  }
  if (layer.kind === 'gru') {
    return {
      class_name: 'GRU',
      config: {
        ...common,
        ...gates,
        activation: 'tanh',
        recurrent_activation: 'sigmoid',
        reset_after: false,
        implementation: 1,
      },
    };
  }
  return { class_name: 'SimpleRNN', config: { ...common, ...gates, activation: p.activation ?? 'tanh' } };
}

const CELLS: Record<string, string> = { LSTM: 'LSTMCell', GRU: 'GRUCell', SimpleRNN: 'SimpleRNNCell' };
const LAYER_ONLY = [
  'name',
  'trainable',
  'return_sequences',
  'return_state',
  'go_backwards',
  'stateful',
  'unroll',
];

/** The same layer as a StudioDecoder (a stock RNN holding the cell; see studio-layers.js for why). */
export function asDecoder(cfg: Json): Json {
  const config = cfg.config as Json;
  if (cfg.class_name === 'StudioRNN') return { class_name: 'StudioDecoder', config };
  const layer = Object.fromEntries(Object.entries(config).filter(([k]) => LAYER_ONLY.includes(k)));
  const cell = Object.fromEntries(
    Object.entries(config).filter(([k]) => !LAYER_ONLY.includes(k) && k !== 'implementation'),
  );
  return {
    class_name: 'StudioDecoder',
    config: {
      ...layer,
      cell: {
        class_name: CELLS[cfg.class_name as string],
        config: { ...cell, name: `${String(config.name)}-cell`, trainable: true },
      },
    },
  };
}
