// An independent forward pass of a planned graph (main/export/plan.ts), written apart from the engine's
// compiler: the test oracle. The studio infers with the compiled graph (core/engine/compile.ts `predict`);
// this file walks the export plan block by block over the same fused ops (core/engine/ops), so the two
// agree only if both read the graph and the weights alike. test/unit/main/inference/evaluate.test.ts holds
// the compiled graph to it, and the exporters are checked against it (padding: id 0, mask 1 = real step).
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, BatchTensor } from '../../core/data/batch.js';
import { attend, type AttentionScore } from '../../core/engine/ops/attention.js';
import {
  bidirectionalSequence,
  mergeDirections,
  runCell,
  stackSequence,
  type CellConfig,
  type CellState,
  type CellWeights,
  type MergeMode,
} from '../../core/engine/ops/recurrent.js';
import { bridgeStates } from '../../core/engine/seq2seq/bridge.js';
import { encode, layerPrefix } from '../../core/engine/seq2seq/encoder.js';
import { cellWeightsAt } from '../../core/engine/seq2seq/weights.js';
import { selfAttentionBlock } from '../../core/engine/ops/selfAttention.js';
import { stateSpace } from '../../core/engine/ops/stateSpace.js';
import {
  PlanError,
  recurrentLayer,
  wireInto,
  type ModelPlan,
  type PlanNode,
} from '../../main/export/plan.js';
import type { WeightValues } from '../../main/export/weights.js';

/**
 * What flows on a wire: the tensor, its time mask [B*T] (sequences only) and, for state ports, [h] or [h, c].
 */
interface Flow {
  tensor: tf.Tensor;
  mask: Float32Array | null;
  state?: tf.Tensor2D[];
  /** An Encoder's state port: every layer's final state, which a Decoder pairs with its own layers. */
  layerStates?: CellState[];
}

export interface EvaluateResult {
  /**
   * Head outputs by head node id; `${node}/attention` weights of
   * pooling [B,T] and attention [B,Tq,Tk] blocks.
   */
  outputs: Record<string, tf.Tensor>;
}

const INPUT_TENSOR: Record<string, { data: keyof Batch; mask: keyof Batch }> = {
  tokens: { data: 'tokens', mask: 'mask' },
  features: { data: 'features', mask: 'mask' },
  source: { data: 'source', mask: 'sourceMask' },
  target: { data: 'targetIn', mask: 'targetMask' },
};

function tensorOf(t: BatchTensor): tf.Tensor {
  return tf.tensor(t.data, t.shape, t.dtype);
}

/** The mask of a token input: the batch's own, else every non-zero id is real. */
function maskOf(data: BatchTensor, given: BatchTensor | undefined): Float32Array {
  if (given) return Float32Array.from(given.data);
  const [b, t] = data.shape as [number, number];
  if (data.dtype === 'int32') return Float32Array.from(data.data, (id) => (id !== 0 ? 1 : 0));
  return new Float32Array(b * t).fill(1);
}

function cellConfig(node: PlanNode): CellConfig {
  const layer = recurrentLayer(node);
  const p = layer.params;
  return {
    kind: layer.kind,
    units: Number(p.units),
    ...(layer.kind === 'elman' ? { activation: p.activation as 'tanh' | 'relu' } : {}),
    ...(layer.kind === 'gru' ? { resetAfter: p.resetAfter !== false } : {}),
  };
}

/** Runs the plan on a batch with the given weights. Call inside tf.tidy or dispose the outputs. */
export function evaluatePlan(plan: ModelPlan, values: WeightValues, batch: Batch): EvaluateResult {
  const weight = (name: string): tf.Tensor => {
    const w = values[name];
    if (!w) throw new PlanError(`The weights have no "${name}": train the model again.`);
    return tf.tensor(w.data, w.shape, 'float32');
  };
  const cellWeights = (prefix: string): CellWeights => ({
    kernel: weight(`${prefix}/kernel`) as tf.Tensor2D,
    recurrentKernel: weight(`${prefix}/recurrent_kernel`) as tf.Tensor2D,
    bias: weight(`${prefix}/bias`),
  });
  const flows = new Map<string, Flow>();
  const key = (node: string, port: string) => `${node}.${port}`;
  const read = (node: PlanNode, port = 'in'): Flow => {
    const ref = wireInto(node, port);
    const flow = flows.get(key(ref.node, ref.port));
    if (!flow)
      throw new PlanError(`Block "${node.id}" reads "${ref.node}.${ref.port}", which produced nothing.`);
    return flow;
  };
  const outputs: Record<string, tf.Tensor> = {};
  const mask2d = (m: Float32Array, like: tf.Tensor) => tf.tensor2d(m, [like.shape[0]!, like.shape[1]!]);

  for (const node of plan.nodes) {
    const p = node.params;
    const put = (port: string, flow: Flow) => flows.set(key(node.id, port), flow);
    switch (node.kind) {
      case 'input': {
        const role = String(p.role);
        const names = INPUT_TENSOR[role]!;
        const data = batch[names.data];
        if (!data) throw new PlanError(`This model reads "${role}" input but none was given.`);
        put('out', { tensor: tensorOf(data), mask: maskOf(data, batch[names.mask]) });
        break;
      }
      case 'embedding': {
        const x = read(node);
        const ids = tf.cast(x.tensor, 'int32');
        const out = p.oneHot
          ? tf.cast(tf.oneHot(ids as tf.Tensor2D, Number(p.vocabularySize)), 'float32')
          : tf.gather(weight(`${node.id}/embeddings`), ids);
        const mask = p.maskZero ? Float32Array.from(ids.dataSync(), (id) => (id !== 0 ? 1 : 0)) : x.mask;
        put('out', { tensor: out, mask });
        break;
      }
      case 'elman':
      case 'lstm':
      case 'gru': {
        const x = read(node);
        const r = runCell(
          cellConfig(node),
          x.tensor as tf.Tensor3D,
          cellWeights(node.id),
          {},
          { mask: x.mask },
        );
        const state = r.c ? [r.h, r.c] : [r.h];
        put(
          'out',
          p.returnSequences !== false ? { tensor: r.sequence, mask: x.mask } : { tensor: r.h, mask: null },
        );
        put('state', { tensor: r.h, mask: null, state });
        break;
      }
      // Encoder and decoder run the engine's own seq2seq functions (the compiled blocks call the same ones).
      case 'encoder': {
        const x = read(node);
        const spec = {
          cell: cellConfig(node),
          layers: Number(p.layers ?? 1),
          bidirectional: p.bidirectional === true,
        };
        const r = encode(x.tensor as tf.Tensor3D, x.mask ?? null, spec, (n) => weight(`${node.id}/${n}`));
        const top = r.states[r.states.length - 1]!;
        put('memory', { tensor: r.memory, mask: x.mask });
        put('state', {
          tensor: top.h!,
          mask: null,
          state: top.c ? [top.h!, top.c] : [top.h!],
          layerStates: r.states,
        });
        break;
      }
      case 'decoder': {
        const x = read(node);
        const from = read(node, 'state');
        const cell = cellConfig(node);
        const layers = Number(p.layers ?? 1);
        const lookup = (n: string) => weight(`${node.id}/${n}`);
        const incoming = from.layerStates ?? [{ h: from.state![0], c: from.state![1] }];
        const bridge = {
          encoderSize: incoming[0]!.h!.shape[1],
          decoderUnits: cell.units,
          decoderIsLstm: cell.kind === 'lstm',
        };
        let init = bridgeStates(incoming, layers, bridge, lookup);
        let y = x.tensor as tf.Tensor3D;
        for (let i = 0; i < layers; i++) {
          const r = runCell(cell, y, cellWeightsAt(lookup, layerPrefix(i, layers)), init[i]!, {
            mask: x.mask,
          });
          y = r.sequence;
          init = [...init.slice(0, i), { h: r.h, c: r.c }, ...init.slice(i + 1)];
        }
        const top = init[layers - 1]!;
        put('out', { tensor: y, mask: x.mask });
        // Every layer's final state, as the compiled decoder hands them on (a decoder after it pairs layers).
        put('state', {
          tensor: top.h!,
          mask: null,
          state: top.c ? [top.h!, top.c] : [top.h!],
          layerStates: init,
        });
        break;
      }
      case 'bidirectional': {
        const x = read(node);
        const cell = cellConfig(node);
        const merge = p.merge as MergeMode;
        const r = bidirectionalSequence(
          cell,
          x.tensor as tf.Tensor3D,
          cellWeights(`${node.id}/forward`),
          cellWeights(`${node.id}/backward`),
          merge,
          { mask: x.mask },
        );
        const returnSequences = recurrentLayer(node).params.returnSequences !== false;
        put(
          'out',
          returnSequences
            ? { tensor: r.sequence, mask: x.mask }
            : { tensor: mergeDirections(merge, r.forward.h, r.backward.h), mask: null },
        );
        break;
      }
      case 'stack': {
        const x = read(node);
        const layers = Array.from({ length: Number(p.layers) }, (_, i) =>
          cellWeights(`${node.id}/layer${i + 1}`),
        );
        const r = stackSequence(cellConfig(node), x.tensor as tf.Tensor3D, layers, {
          residual: p.residual === true,
          recurrent: { mask: x.mask },
        });
        const last = r.results[r.results.length - 1]!;
        const returnSequences = recurrentLayer(node).params.returnSequences !== false;
        put('out', returnSequences ? { tensor: r.sequence, mask: x.mask } : { tensor: last.h, mask: null });
        put('state', { tensor: last.h, mask: null, state: last.c ? [last.h, last.c] : [last.h] });
        break;
      }
      case 'dropout':
        put('out', read(node));
        break;
      case 'dense':
      case 'head': {
        const x = read(node);
        const kernel = weight(`${node.id}/kernel`) as tf.Tensor2D;
        const shape = x.tensor.shape;
        const flat = tf.reshape(x.tensor, [-1, shape[shape.length - 1]!]);
        const z = tf.add(tf.matMul(flat, kernel), weight(`${node.id}/bias`));
        const y = tf.reshape(activate(z, String(p.activation)), [...shape.slice(0, -1), kernel.shape[1]]);
        put('out', { tensor: y, mask: x.mask });
        if (node.kind === 'head') outputs[node.id] = y;
        break;
      }
      case 'pooling': {
        const x = read(node);
        const { vector, weights } = pool(x.tensor as tf.Tensor3D, x.mask, String(p.mode), (n) =>
          weight(`${node.id}/${n}`),
        );
        put('out', { tensor: vector, mask: null });
        if (weights) {
          put('weights', { tensor: weights, mask: null });
          outputs[`${node.id}/attention`] = weights;
        }
        break;
      }
      case 'state-space': {
        const x = read(node);
        const w = Object.fromEntries(node.weights.map((s) => [s.name, weight(`${node.id}/${s.name}`)]));
        const r = stateSpace(x.tensor as tf.Tensor3D, x.mask ? mask2d(x.mask, x.tensor) : null, w, {
          complex: p.diagonal === 'complex',
        });
        put('out', { tensor: r.output, mask: x.mask });
        break;
      }
      case 'self-attention': {
        const x = read(node);
        const w = Object.fromEntries(node.weights.map((s) => [s.name, weight(`${node.id}/${s.name}`)]));
        const r = selfAttentionBlock(x.tensor as tf.Tensor3D, x.mask ? mask2d(x.mask, x.tensor) : null, w, {
          heads: Number(p.heads),
          causal: p.causal === true,
          positionalEncoding: p.positionalEncoding as 'none' | 'sinusoidal' | 'learned',
        });
        put('out', { tensor: r.output, mask: x.mask });
        put('weights', { tensor: r.weights, mask: null });
        outputs[`${node.id}/attention`] = r.weights;
        break;
      }
      case 'attention': {
        const q = read(node, 'query');
        const m = read(node, 'memory');
        const w = Object.fromEntries(node.weights.map((s) => [s.name, weight(`${node.id}/${s.name}`)]));
        const r = attend(
          q.tensor as tf.Tensor3D,
          m.tensor as tf.Tensor3D,
          m.mask ? mask2d(m.mask, m.tensor) : null,
          p.score as AttentionScore,
          w,
          { scaled: p.scaled === true },
        );
        put('context', { tensor: r.context, mask: q.mask });
        put('weights', { tensor: r.weights, mask: null });
        outputs[`${node.id}/attention`] = r.weights;
        break;
      }
      case 'concatenate':
      case 'add': {
        const parts = (node.inputs.in ?? []).map((ref) => flows.get(key(ref.node, ref.port))!);
        const tensor =
          node.kind === 'add'
            ? tf.addN(parts.map((f) => f.tensor))
            : tf.concat(
                parts.map((f) => f.tensor),
                -1,
              );
        put('out', { tensor, mask: parts[0]?.mask ?? null });
        break;
      }
      default:
        throw new PlanError(`Block "${node.id}" is a "${node.kind}", which inference does not know.`);
    }
  }
  return { outputs };
}

export function activate(z: tf.Tensor, activation: string): tf.Tensor {
  switch (activation) {
    case 'softmax':
      return tf.softmax(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'tanh':
      return tf.tanh(z);
    case 'relu':
      return tf.relu(z);
    case 'gelu':
      // Exact GELU (erf form), as torch.nn.GELU() and tfjs-layers' 'gelu'.
      return tf.mul(tf.mul(z, 0.5), tf.add(1, tf.erf(tf.div(z, Math.SQRT2))));
    default:
      return z;
  }
}

/** Pooling over real steps: last, mean, max, or attention α = softmax(wᵀ tanh(W h_t + b)). */
function pool(
  x: tf.Tensor3D,
  mask: Float32Array | null,
  mode: string,
  weight: (name: string) => tf.Tensor,
): { vector: tf.Tensor2D; weights?: tf.Tensor2D } {
  const [b, t, f] = x.shape;
  const m = mask ?? new Float32Array(b * t).fill(1);
  const m2 = tf.tensor2d(m, [b, t]);
  if (mode === 'last') {
    const last = Array.from({ length: b }, (_, i) => {
      let at = 0;
      for (let s = 0; s < t; s++) if (m[i * t + s]! > 0) at = s;
      return i * t + at;
    });
    return { vector: tf.gather(tf.reshape(x, [b * t, f]), tf.tensor1d(last, 'int32')) as tf.Tensor2D };
  }
  if (mode === 'mean') {
    const sum = tf.sum(tf.mul(x, tf.expandDims(m2, 2)), 1);
    return { vector: tf.div(sum, tf.maximum(tf.sum(m2, 1, true), 1)) as tf.Tensor2D };
  }
  if (mode === 'max') {
    const filled = tf.where(
      tf.broadcastTo(tf.greater(tf.expandDims(m2, 2), 0), x.shape),
      x,
      tf.fill(x.shape, -1e9),
    );
    return { vector: tf.max(filled, 1) as tf.Tensor2D };
  }
  const hidden = tf.tanh(
    tf.add(tf.matMul(tf.reshape(x, [b * t, f]), weight('kernel') as tf.Tensor2D), weight('bias')),
  );
  const scores = tf.reshape(tf.matMul(hidden, tf.reshape(weight('score_vector'), [-1, 1])), [b, t]);
  const masked = tf.where(tf.greater(m2, 0), scores, tf.fill([b, t], -1e9));
  const alpha = tf.mul(tf.softmax(masked), m2) as tf.Tensor2D;
  return { vector: tf.sum(tf.mul(x, tf.expandDims(alpha, 2)), 1) as tf.Tensor2D, weights: alpha };
}
