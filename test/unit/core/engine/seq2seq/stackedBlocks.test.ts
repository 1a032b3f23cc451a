// The catalog's Encoder and Decoder blocks take any recurrent stack: layers and bidirectional on the
// encoder, layers on the decoder, and a dense bridge when the encoder's state is not as wide as the
// decoder. Checked two ways: the catalog lists the weights the engine reads (names and shapes), and a
// compiled graph computes exactly what the inference evaluator (main/inference, its own implementation
// over plain weight values) computes with the same weights.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { getLayerKind, parseParams } from '../../../../../core/catalog/index.js';
import { compileGraph } from '../../../../../core/engine/compile.js';
import type { Graph } from '../../../../../core/graph/types.js';
import { planModel } from '../../../../../main/export/plan.js';
import { evaluatePlan } from '../../../../oracle/evaluatePlan.js';
import { encoderDecoderGraph } from '../../../../../core/graph/build.js';
import { reversalBatch, useCpu } from './helpers.js';

beforeAll(useCpu);

const V = 9;
const E = 5;

function graph(encoder: Record<string, unknown>, decoder: Record<string, unknown>): Graph {
  return encoderDecoderGraph({ vocabulary: V, dimension: E, encoder, decoder });
}

/** Params with defaults filled (the test fails here if the catalog refuses them). */
function parsed(kind: string, raw: unknown): never {
  const r = parseParams(kind, raw);
  if (!r.ok) throw new Error(`${kind}: ${JSON.stringify(r.problems)}`);
  return r.params as never;
}

describe('catalog encoder/decoder stacks and the bridge', () => {
  it('lists stacked, bidirectional and bridge weights with the engine names and shapes', () => {
    const enc = getLayerKind('encoder')!;
    const params = parsed('encoder', {
      layer: { kind: 'lstm', params: { units: 8 } },
      layers: 2,
      bidirectional: true,
    });
    const inputs = {
      in: [{ kind: 'sequence' as const, shape: ['batch', 'time', E] as (string | number)[] }],
    };
    const weights = enc.weights(params, inputs as never).map((w) => `${w.name} ${w.shape.join('x')}`);
    expect(weights).toEqual([
      'layer1/forward/kernel 5x32',
      'layer1/forward/recurrent_kernel 8x32',
      'layer1/forward/bias 32',
      'layer1/backward/kernel 5x32',
      'layer1/backward/recurrent_kernel 8x32',
      'layer1/backward/bias 32',
      'layer2/forward/kernel 16x32',
      'layer2/forward/recurrent_kernel 8x32',
      'layer2/forward/bias 32',
      'layer2/backward/kernel 16x32',
      'layer2/backward/recurrent_kernel 8x32',
      'layer2/backward/bias 32',
    ]);
    const shapes = enc.inferShapes(params, inputs as never, {});
    expect(shapes.ok && shapes.outputs.state).toEqual({ kind: 'state', shape: ['batch', 16], cell: true });
    expect(shapes.ok && shapes.outputs.memory!.shape).toEqual(['batch', 'time', 16]);

    const dec = getLayerKind('decoder')!;
    const decInputs = (state: number, cell = true) =>
      ({
        in: inputs.in,
        state: [{ kind: 'state', shape: ['batch', state], ...(cell ? { cell: true } : {}) }],
      }) as never;
    const lstm = parsed('decoder', { layer: { kind: 'lstm', params: { units: 12 } } });
    expect(
      dec
        .weights(lstm, decInputs(16))
        .slice(0, 4)
        .map((w) => `${w.name} ${w.shape.join('x')}`),
    ).toEqual(['bridge/kernel 16x12', 'bridge/bias 12', 'bridge/cell_kernel 16x12', 'bridge/cell_bias 12']);
    expect(dec.weights(lstm, decInputs(12)).some((w) => w.name.startsWith('bridge/'))).toBe(false);
    // A GRU or Elman state has no cell: the LSTM decoder starts from c = 0, so no cell bridge to train.
    expect(
      dec
        .weights(lstm, decInputs(16, false))
        .filter((w) => w.name.startsWith('bridge/'))
        .map((w) => w.name),
    ).toEqual(['bridge/kernel', 'bridge/bias']);
    const gruEncoder = parsed('encoder', { layer: { kind: 'gru', params: { units: 8 } } });
    const gruState = enc.inferShapes(gruEncoder, inputs as never, {});
    expect(gruState.ok && gruState.outputs.state).toEqual({ kind: 'state', shape: ['batch', 8] });
    const gru = parsed('decoder', { layer: { kind: 'gru', params: { units: 12 } }, layers: 2 });
    expect(dec.weights(gru, decInputs(16)).map((w) => w.name)).toEqual([
      'bridge/kernel',
      'bridge/bias',
      'layer1/kernel',
      'layer1/recurrent_kernel',
      'layer1/bias',
      'layer2/kernel',
      'layer2/recurrent_kernel',
      'layer2/bias',
    ]);
    // A state of the wrong kind is still refused, naming the port.
    const refused = dec.inferShapes(
      lstm,
      { in: inputs.in, state: [{ kind: 'sequence', shape: ['batch', 'time', 12] }] } as never,
      {},
    );
    expect(refused.ok).toBe(false);
  });

  it.each([
    [
      'bidirectional 2-layer LSTM encoder -> bridged 2-layer LSTM decoder',
      { kind: 'lstm', units: 6 },
      { layers: 2, bidirectional: true },
      { kind: 'lstm', units: 7 },
      2,
    ],
    [
      'GRU encoder -> bridged GRU decoder',
      { kind: 'gru', units: 6 },
      { layers: 1, bidirectional: false },
      { kind: 'gru', units: 4 },
      1,
    ],
    [
      '2-layer LSTM encoder -> 2-layer LSTM decoder, equal sizes (layers pair up, no bridge)',
      { kind: 'lstm', units: 6 },
      { layers: 2, bidirectional: false },
      { kind: 'lstm', units: 6 },
      2,
    ],
  ] as const)('%s: compiled graph = inference evaluator', (_name, encCell, encShape, decCell, decLayers) => {
    const g = graph(
      { layer: { kind: encCell.kind, params: { units: encCell.units } }, ...encShape },
      { layer: { kind: decCell.kind, params: { units: decCell.units } }, layers: decLayers },
    );
    const compiled = compileGraph(g, { task: 'seq2seq', seed: 4 });
    try {
      const bridged = encShape.bidirectional || encCell.units !== decCell.units;
      if (bridged) expect(compiled.weights.some((w) => w.name === 'decoder/bridge/kernel')).toBe(true);
      else expect(compiled.weights.some((w) => w.name.includes('bridge'))).toBe(false);
      // Layers pair up: one encoder and one decoder weight set per layer.
      const layerPrefixes = new Set(
        compiled.weights
          .filter((w) => /^decoder\//.test(w.name) && !w.name.includes('bridge'))
          .map((w) => w.name.replace(/\/[^/]+$/, '')),
      );
      expect(layerPrefixes.size).toBe(decLayers);

      const batch = reversalBatch(3, 4, V, 7);
      const ours = tf.tidy(
        () => compiled.forward(batch, { training: false }).outputs.next!.arraySync() as number[][][],
      );
      const values = Object.fromEntries(
        compiled.weights.map((w) => [
          w.name,
          { data: w.variable.dataSync() as Float32Array, shape: [...w.variable.shape] },
        ]),
      );
      const inference = tf.tidy(
        () => evaluatePlan(planModel(g), values, batch).outputs.next!.arraySync() as number[][][],
      );
      const mask = batch.targetMask!.data;
      const T = batch.targetMask!.shape[1]!;
      let worstInference = 0;
      ours.forEach((rows, b) =>
        rows.forEach((row, t) => {
          if (mask[b * T + t] === 0) return;
          row.forEach((v, k) => {
            worstInference = Math.max(worstInference, Math.abs(v - inference[b]![t]![k]!));
          });
        }),
      );
      expect(worstInference).toBeLessThan(1e-6);
      // The bridge is live: changing its kernel changes the decoder's predictions.
      const bridge = compiled.weights.find((w) => w.name === 'decoder/bridge/kernel');
      if (bridge) {
        bridge.variable.assign(tf.mul(bridge.variable, -1));
        const changed = tf.tidy(
          () => compiled.forward(batch, { training: false }).outputs.next!.arraySync() as number[][][],
        );
        expect(Math.abs(changed[0]![0]![0]! - ours[0]![0]![0]!)).toBeGreaterThan(1e-6);
      }
    } finally {
      compiled.dispose();
    }
  });
});
