// Block builders for the catalog's encoder, decoder, attention, self-attention and state-space kinds, in
// the compiler's BlockBuilder form (core/engine/blocks/types.ts), so compile.ts registers them by kind:
//   BUILDERS = { ..., ...SEQUENCE_MODEL_BUILDERS }
// Each reads its weights by the names core/catalog/kinds/*.ts lists and emits its attention weights under
// `${node}/attention` (the compiler keeps that key as a model output for dashboards and the playground).
import * as tf from '@tensorflow/tfjs-core';
import type { BlockBuilder, Flow } from '../blocks/types.js';
import { inputOf } from '../blocks/types.js';
import { applyDropout } from '../blocks/basic.js';
import { attend, type AttentionScore } from '../ops/attention.js';
import { runCell, type CellState } from '../ops/recurrent.js';
import { cellOf, layerInputDropout, type InnerLayer } from '../blocks/recurrent.js';
import { bridgeStates } from './bridge.js';
import { encode, layerPrefix } from './encoder.js';
import { cellWeightsAt } from './weights.js';
import { selfAttentionBlock, type SelfAttentionOptions } from '../ops/selfAttention.js';
import { stateSpace } from '../ops/stateSpace.js';

function maskTensor(mask: Float32Array | null, shape: [number, number]): tf.Tensor2D | null {
  return mask ? tf.tensor2d(mask, shape) : null;
}

/**
 * A state flow: `tensor`/`states` are the top layer's (h[, c]); `layerStates` every layer's, for the bridge.
 */
function stateFlow(layers: CellState[]): Flow {
  const top = layers[layers.length - 1]!;
  return { tensor: top.h!, mask: null, states: top.c ? [top.h!, top.c] : [top.h!], layerStates: layers };
}

/** Encoder: memory = every step of its top layer, state = each layer's last real step (h[, c]). */
export const encoder: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const layer = ctx.params.layer as InnerLayer;
  const x = layerInputDropout(ctx, flow.tensor, layer);
  const spec = {
    cell: cellOf(layer),
    layers: (ctx.params.layers as number | undefined) ?? 1,
    bidirectional: ctx.params.bidirectional === true,
  };
  const r = encode(x, flow.mask, spec, ctx.weight);
  if (ctx.options.probe) ctx.emit('hidden', r.memory);
  return { memory: { tensor: r.memory, mask: flow.mask }, state: stateFlow(r.states) };
};

/** The initial states a decoder reads from a state flow (an Encoder's, or any recurrent block's). */
function incomingStates(state: Flow): CellState[] {
  if (state.layerStates) return state.layerStates;
  const [h, c] = state.states ?? [state.tensor];
  return [{ h: h as tf.Tensor2D, c: c as tf.Tensor2D | undefined }];
}

/**
 * Decoder: starts from the wired state (bridged when its width differs from the units) and reads the
 * target sequence it is given. Scheduled sampling (teacher forcing < 1) does not happen here: the compiler
 * mixes the model's own predictions into the target input before the pass (./scheduledSampling.ts).
 */
export const decoder: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const layer = ctx.params.layer as InnerLayer;
  const cell = cellOf(layer);
  const layers = (ctx.params.layers as number | undefined) ?? 1;
  const incoming = incomingStates(inputOf(ctx, 'state'));
  const bridge = {
    encoderSize: incoming[0]!.h!.shape[1],
    decoderUnits: cell.units,
    decoderIsLstm: cell.kind === 'lstm',
  };
  const init = bridgeStates(incoming, layers, bridge, ctx.weight);
  let y = layerInputDropout(ctx, flow.tensor, layer);
  const states: CellState[] = [];
  for (let i = 0; i < layers; i++) {
    const r = runCell(cell, y, cellWeightsAt(ctx.weight, layerPrefix(i, layers)), init[i]!, {
      mask: flow.mask,
    });
    y = r.sequence;
    states.push({ h: r.h, c: r.c });
  }
  if (ctx.options.probe) ctx.emit('hidden', y);
  return { out: { tensor: y, mask: flow.mask }, state: stateFlow(states) };
};

/** Attention of a query sequence over a memory; padded memory steps get exactly zero weight. */
export const attention: BlockBuilder = (ctx) => {
  const query = inputOf(ctx, 'query');
  const memory = inputOf(ctx, 'memory');
  const q = query.tensor as tf.Tensor3D;
  const m = memory.tensor as tf.Tensor3D;
  const score = ctx.params.score as AttentionScore;
  const weights =
    score === 'additive'
      ? {
          query_kernel: ctx.weight('query_kernel'),
          memory_kernel: ctx.weight('memory_kernel'),
          score_vector: ctx.weight('score_vector'),
        }
      : score === 'general'
        ? { kernel: ctx.weight('kernel') }
        : {};
  const r = attend(q, m, maskTensor(memory.mask, [m.shape[0], m.shape[1]]), score, weights, {
    scaled: ctx.params.scaled === true,
  });
  ctx.emit('attention', r.weights);
  return { context: { tensor: r.context, mask: query.mask }, weights: { tensor: r.weights, mask: null } };
};

const SELF_ATTENTION_WEIGHTS = [
  'query/kernel',
  'query/bias',
  'key/kernel',
  'key/bias',
  'value/kernel',
  'value/bias',
  'output/kernel',
  'output/bias',
  'norm1/gamma',
  'norm1/beta',
  'ffn1/kernel',
  'ffn1/bias',
  'ffn2/kernel',
  'ffn2/bias',
  'norm2/gamma',
  'norm2/beta',
];

/**
 * Self-attention block; `weights` and `${node}/attention` carry the per-head maps [B,H,T,T], exactly as the
 * inference evaluator gives them (the probe turns them into one heatmap per head; an average would hide
 * what each head does).
 */
export const selfAttention: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const x = flow.tensor as tf.Tensor3D;
  const positionalEncoding = ctx.params.positionalEncoding as SelfAttentionOptions['positionalEncoding'];
  const names =
    positionalEncoding === 'learned' ? [...SELF_ATTENTION_WEIGHTS, 'positions'] : SELF_ATTENTION_WEIGHTS;
  const w = Object.fromEntries(names.map((n) => [n, ctx.weight(n)]));
  const r = selfAttentionBlock(x, maskTensor(flow.mask, [x.shape[0], x.shape[1]]), w, {
    heads: ctx.params.heads as number,
    causal: ctx.params.causal === true,
    positionalEncoding,
    dropout: (ctx.params.dropout as number) ?? 0,
    training: ctx.options.training,
    random: ctx.random,
  });
  ctx.emit('attention', r.weights);
  return { out: { tensor: r.output, mask: flow.mask }, weights: { tensor: r.weights, mask: null } };
};

/**
 * State-space layer with the weights the catalog lists for its options: a complex diagonal adds
 * `frequency` and the imaginary kernels; a learned step adds `log_step` (absent: Δ = 1, as the inference
 * evaluator and the export compute it).
 */
export const stateSpaceLayer: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const x = applyDropout(
    flow.tensor,
    (ctx.params.dropout as number) ?? 0,
    true,
    ctx.options.training,
    ctx.random,
  ) as tf.Tensor3D;
  const complex = ctx.params.diagonal === 'complex';
  const names = ['log_rate', 'input_kernel', 'output_kernel', 'skip'];
  if (ctx.params.learnStep === true) names.push('log_step');
  if (complex) names.push('frequency', 'input_kernel_imag', 'output_kernel_imag');
  const w = Object.fromEntries(names.map((n) => [n, ctx.weight(n)]));
  const r = stateSpace(x, maskTensor(flow.mask, [x.shape[0], x.shape[1]]), w, { complex });
  return { out: { tensor: r.output, mask: flow.mask } };
};

/** Kind id -> builder, for compile.ts's BUILDERS list. */
export const SEQUENCE_MODEL_BUILDERS: Record<string, BlockBuilder> = {
  encoder,
  decoder,
  attention,
  'self-attention': selfAttention,
  'state-space': stateSpaceLayer,
};
