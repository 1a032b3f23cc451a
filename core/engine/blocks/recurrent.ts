// Builders for Elman, LSTM and GRU blocks and the two wrappers (bidirectional, stack), over the fused
// ops in ../ops. Probe outputs, gradient-through-time taps and truncated-BPTT states are keyed by the
// node id for a plain cell; a bidirectional block's backward direction uses `${node}/backward`, a
// stack's lower layers `${node}/layer${i}` (its top layer is `${node}`).
import * as tf from '@tensorflow/tfjs-core';
import {
  type CellConfig,
  type CellKind,
  type CellResult,
  type MergeMode,
  cellGates,
  mergeDirections,
  runCell,
} from '../ops/recurrent.js';
import type { RecurrentRecorder } from '../ops/sequence.js';
import { cellWeightsAt } from '../seq2seq/weights.js';
import { applyDropout } from './basic.js';
import { type BlockBuilder, type BlockContext, type Flow, inputOf } from './types.js';

/** The recurrent layer a block wraps (a plain cell, a wrapper's, an encoder's or decoder's). */
export interface InnerLayer {
  kind: CellKind;
  params: Record<string, unknown>;
}

export function cellOf(layer: InnerLayer): CellConfig {
  const p = layer.params;
  return {
    kind: layer.kind,
    units: p.units as number,
    activation: (p.activation as 'tanh' | 'relu' | undefined) ?? 'tanh',
    resetAfter: p.resetAfter !== false,
  };
}

/** The inner layer's input dropout (one mask per sequence), applied only while training. */
export function layerInputDropout(ctx: BlockContext, x: tf.Tensor, layer: InnerLayer): tf.Tensor3D {
  const rate = (layer.params.dropout as number) ?? 0;
  return applyDropout(x, rate, true, ctx.options.training, ctx.random) as tf.Tensor3D;
}

/** Variational recurrent dropout: one mask per sequence over h_{t-1}, scaled so the expectation holds. */
function recurrentDropMask(ctx: BlockContext, B: number, H: number, rate: number): Float32Array | null {
  if (!ctx.options.training || !(rate > 0)) return null;
  const keep = 1 - rate;
  return Float32Array.from({ length: B * H }, () => (ctx.random() < keep ? 1 / keep : 0));
}

/** Runs one direction or layer of a block, with its key's probe, tap and carried state. */
function runKeyed(
  ctx: BlockContext,
  key: string,
  layer: InnerLayer,
  prefix: string,
  x: tf.Tensor3D,
  mask: Float32Array | null,
  goBackwards = false,
  oneHotIds?: Int32Array,
): CellResult {
  const cell = cellOf(layer);
  const dropped = layerInputDropout(ctx, x, layer);
  const init = ctx.options.initialState?.[key];
  const recorder: RecurrentRecorder | undefined = ctx.options.probe ? {} : undefined;
  const result = runCell(
    cell,
    dropped,
    cellWeightsAt(ctx.weight, prefix),
    init ? { h: init[0] as tf.Tensor2D, c: init[1] as tf.Tensor2D } : {},
    {
      mask,
      goBackwards,
      oneHotIds: dropped === x ? oneHotIds : null,
      recurrentDropMask: recurrentDropMask(
        ctx,
        x.shape[0],
        cell.units,
        (layer.params.recurrentDropout as number) ?? 0,
      ),
      tap: ctx.options.taps?.[key],
      recorder,
    },
  );
  ctx.setFinalStateOf(key, result.c ? [result.h, result.c] : [result.h]);
  if (recorder) emitProbe(ctx, key, layer.kind, result, recorder);
  return result;
}

function emitProbe(
  ctx: BlockContext,
  key: string,
  kind: CellKind,
  result: CellResult,
  recorder: RecurrentRecorder,
): void {
  const sub = key.slice(ctx.node.length + 1);
  const name = (k: string) => (sub ? `${sub}/${k}` : k);
  ctx.emit(name('hidden'), result.sequence);
  if (kind === 'elman') return;
  const all =
    recorder.gatesTensor ??
    (recorder.gates && recorder.gateShape ? tf.tensor3d(recorder.gates, recorder.gateShape) : null);
  if (!all) return;
  const gates = cellGates(kind);
  tf.split(all, gates.length, 2).forEach((g, i) => ctx.emit(name(`gate/${gates[i]}`), g));
}

function outputs(
  flow: Flow,
  result: CellResult,
  returnSequences: boolean,
  sequence: tf.Tensor,
  last: tf.Tensor,
): Record<string, Flow> {
  const states = result.c ? [result.h, result.c] : [result.h];
  return {
    out: returnSequences ? { tensor: sequence, mask: flow.mask } : { tensor: last, mask: null },
    state: { tensor: result.h, mask: null, states },
  };
}

export const recurrent: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const layer = { kind: ctx.kind as CellKind, params: ctx.params };
  const r = runKeyed(ctx, ctx.node, layer, '', flow.tensor as tf.Tensor3D, flow.mask, false, flow.oneHotIds);
  return outputs(flow, r, ctx.params.returnSequences !== false, r.sequence, r.h);
};

export const bidirectional: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const layer = ctx.params.layer as InnerLayer;
  const merge = ctx.params.merge as MergeMode;
  const x = flow.tensor as tf.Tensor3D;
  const f = runKeyed(ctx, ctx.node, layer, 'forward/', x, flow.mask, false, flow.oneHotIds);
  const b = runKeyed(ctx, `${ctx.node}/backward`, layer, 'backward/', x, flow.mask, true, flow.oneHotIds);
  const returnSequences = layer.params.returnSequences !== false;
  const sequence = returnSequences ? mergeDirections(merge, f.sequence, b.sequence) : f.sequence;
  const last = returnSequences ? f.h : mergeDirections(merge, f.h, b.h);
  return { out: outputs(flow, f, returnSequences, sequence, last).out! };
};

export const stack: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const layer = ctx.params.layer as InnerLayer;
  const count = ctx.params.layers as number;
  const between = (ctx.params.dropout as number) ?? 0;
  let y = flow.tensor as tf.Tensor3D;
  let result: CellResult | null = null;
  for (let i = 1; i <= count; i++) {
    const key = i === count ? ctx.node : `${ctx.node}/layer${i}`;
    result = runKeyed(
      ctx,
      key,
      layer,
      `layer${i}/`,
      y,
      flow.mask,
      false,
      i === 1 ? flow.oneHotIds : undefined,
    );
    let out = result.sequence;
    // Residual only where widths agree (the first layer usually changes the width).
    if (ctx.params.residual && y.shape[2] === out.shape[2]) out = tf.add(out, y) as tf.Tensor3D;
    if (i < count) out = applyDropout(out, between, false, ctx.options.training, ctx.random) as tf.Tensor3D;
    y = out;
  }
  const r = result!;
  return outputs(flow, r, layer.params.returnSequences !== false, y, r.h);
};
