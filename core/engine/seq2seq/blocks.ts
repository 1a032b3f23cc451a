// Block builders for the catalog's encoder, decoder, attention, self-attention and state-space kinds, in
// the compiler's BlockBuilder form (core/engine/blocks/types.ts), so compile.ts registers them by kind:
//   BUILDERS = { ..., ...SEQUENCE_MODEL_BUILDERS }
// Each reads its weights by the names core/catalog/kinds/*.ts lists and emits its attention weights under
// `${node}/attention` (the compiler keeps that key as a model output for dashboards and the playground).
import * as tf from '@tensorflow/tfjs-core';
import type { BlockBuilder, BlockContext, Flow } from '../blocks/types.js';
import { inputOf } from '../blocks/types.js';
import { applyDropout } from '../blocks/basic.js';
import { attend, type AttentionScore } from '../ops/attention.js';
import { runCell, type CellConfig, type CellKind, type CellState } from '../ops/recurrent.js';
import { selfAttentionBlock, type SelfAttentionOptions } from '../ops/selfAttention.js';
import { stateSpace } from '../ops/stateSpace.js';

interface Inner {
  kind: CellKind;
  params: Record<string, unknown>;
}

function cellOf(layer: Inner): CellConfig {
  const p = layer.params;
  return { kind: layer.kind, units: p.units as number, activation: (p.activation as 'tanh' | 'relu' | undefined) ?? 'tanh', resetAfter: p.resetAfter !== false };
}

function runInner(ctx: BlockContext, layer: Inner, flow: Flow, init: CellState) {
  const x = applyDropout(flow.tensor, (layer.params.dropout as number) ?? 0, true, ctx.options.training, ctx.random) as tf.Tensor3D;
  const weights = { kernel: ctx.weight('kernel') as tf.Tensor2D, recurrentKernel: ctx.weight('recurrent_kernel') as tf.Tensor2D, bias: ctx.weight('bias') };
  const r = runCell(cellOf(layer), x, weights, init, { mask: flow.mask });
  if (ctx.options.probe) ctx.emit('hidden', r.sequence);
  return r;
}

function stateFlow(h: tf.Tensor2D, c: tf.Tensor2D | undefined): Flow {
  return { tensor: h, mask: null, states: c ? [h, c] : [h] };
}

function maskTensor(mask: Float32Array | null, shape: [number, number]): tf.Tensor2D | null {
  return mask ? tf.tensor2d(mask, shape) : null;
}

/** Encoder: memory = every step of its recurrent layer, state = the last real step's (h[, c]). */
export const encoder: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const r = runInner(ctx, ctx.params.layer as Inner, flow, {});
  return { memory: { tensor: r.sequence, mask: flow.mask }, state: stateFlow(r.h, r.c) };
};

/** Decoder: starts from the wired state and reads the (teacher-forced) target sequence. */
export const decoder: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const state = inputOf(ctx, 'state');
  const layer = ctx.params.layer as Inner;
  if (ctx.options.training && ((ctx.params.teacherForcing as number | undefined) ?? 1) < 1) {
    throw new Error(
      `Decoder "${ctx.node}": teacher forcing below 1 (scheduled sampling) needs the model's own predictions step by step, which drawn graphs cannot feed back yet. Set teacher forcing to 1.`,
    );
  }
  const [h, c] = state.states ?? [state.tensor];
  const init: CellState = { h: h as tf.Tensor2D, c: layer.kind === 'lstm' ? ((c as tf.Tensor2D | undefined) ?? tf.zerosLike(h!) as tf.Tensor2D) : undefined };
  const r = runInner(ctx, layer, flow, init);
  return { out: { tensor: r.sequence, mask: flow.mask }, state: stateFlow(r.h, r.c) };
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
      ? { query_kernel: ctx.weight('query_kernel'), memory_kernel: ctx.weight('memory_kernel'), score_vector: ctx.weight('score_vector') }
      : score === 'general' ? { kernel: ctx.weight('kernel') } : {};
  const r = attend(q, m, maskTensor(memory.mask, [m.shape[0], m.shape[1]]), score, weights, { scaled: ctx.params.scaled === true });
  ctx.emit('attention', r.weights);
  return { context: { tensor: r.context, mask: query.mask }, weights: { tensor: r.weights, mask: null } };
};

const SELF_ATTENTION_WEIGHTS = [
  'query/kernel', 'query/bias', 'key/kernel', 'key/bias', 'value/kernel', 'value/bias', 'output/kernel', 'output/bias',
  'norm1/gamma', 'norm1/beta', 'ffn1/kernel', 'ffn1/bias', 'ffn2/kernel', 'ffn2/bias', 'norm2/gamma', 'norm2/beta',
];

/** Self-attention block; `weights` and `${node}/attention` carry the head-averaged [B,T,T] map. */
export const selfAttention: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const x = flow.tensor as tf.Tensor3D;
  const positionalEncoding = ctx.params.positionalEncoding as SelfAttentionOptions['positionalEncoding'];
  const names = positionalEncoding === 'learned' ? [...SELF_ATTENTION_WEIGHTS, 'positions'] : SELF_ATTENTION_WEIGHTS;
  const w = Object.fromEntries(names.map((n) => [n, ctx.weight(n)]));
  const r = selfAttentionBlock(x, maskTensor(flow.mask, [x.shape[0], x.shape[1]]), w, {
    heads: ctx.params.heads as number,
    causal: ctx.params.causal === true,
    positionalEncoding,
    dropout: (ctx.params.dropout as number) ?? 0,
    training: ctx.options.training,
    random: ctx.random,
  });
  const averaged = tf.mean(r.weights, 1) as tf.Tensor3D;
  ctx.emit('attention', averaged);
  if (ctx.options.probe) ctx.emit('heads', r.weights);
  return { out: { tensor: r.output, mask: flow.mask }, weights: { tensor: averaged, mask: null } };
};

/**
 * State-space layer with the catalog's real-valued weights. The catalog lists no step weight today, so
 * Δ = 1 (the op's default, which the inference evaluator and the PyTorch export share); a `log_step`
 * weight is used as soon as the catalog lists one.
 */
export const stateSpaceLayer: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const x = applyDropout(flow.tensor, (ctx.params.dropout as number) ?? 0, true, ctx.options.training, ctx.random) as tf.Tensor3D;
  const w: Record<string, tf.Tensor> = {};
  for (const name of ['log_rate', 'input_kernel', 'output_kernel', 'skip']) w[name] = ctx.weight(name);
  const step = optionalWeight(ctx, 'log_step');
  if (step) w.log_step = step;
  const r = stateSpace(x, maskTensor(flow.mask, [x.shape[0], x.shape[1]]), w, { complex: false });
  return { out: { tensor: r.output, mask: flow.mask } };
};

function optionalWeight(ctx: BlockContext, name: string): tf.Tensor | null {
  try {
    return ctx.weight(name);
  } catch {
    return null;
  }
}

/** Kind id -> builder, for compile.ts's BUILDERS list. */
export const SEQUENCE_MODEL_BUILDERS: Record<string, BlockBuilder> = {
  encoder,
  decoder,
  attention,
  'self-attention': selfAttention,
  'state-space': stateSpaceLayer,
};
