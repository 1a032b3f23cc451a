// Builders for the blocks without recurrence: input, embedding, dropout, dense, head, concatenate, add.
import * as tf from '@tensorflow/tfjs-core';
import { embeddingLookup } from '../ops/embeddingLookup.js';
import { usesDevicePath } from '../ops/device/path.js';
import { seededDropout } from '../ops/dropout.js';
import type { BatchTensor } from '../../data/batch.js';
import { matMulBias } from '../ops/matmul.js';
import { type BlockBuilder, type BlockContext, type Flow, inputOf, num } from './types.js';

function fromBatch(ctx: BlockContext, field: keyof BlockContext['batch']): BatchTensor {
  const t = ctx.batch[field];
  if (!t)
    throw new Error(
      `Input "${ctx.node}" (role ${String(ctx.params.role)}) needs "${field}" in the batch, ` +
        `but the dataset gives none.`,
    );
  return t;
}

function maskFrom(t: BatchTensor | undefined): Float32Array | null {
  return t ? Float32Array.from(t.data) : null;
}

export const input: BlockBuilder = (ctx) => {
  const role = ctx.params.role as string;
  const [ids, mask] =
    role === 'source'
      ? ['source', 'sourceMask']
      : role === 'target'
        ? ['targetIn', 'targetMask']
        : role === 'features'
          ? ['features', 'mask']
          : ['tokens', 'mask'];
  const made = ctx.given?.[ids as 'targetIn'];
  if (made)
    return {
      out: { tensor: made.tensor, mask: maskFrom(ctx.batch[mask as 'mask']), modelIdsBelow: made.below },
    };
  const data = fromBatch(ctx, ids as 'tokens');
  const tensor = tf.tensor(data.data, data.shape, data.dtype);
  return { out: { tensor, mask: maskFrom(ctx.batch[mask as 'mask']) } };
};

export const embedding: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const ids = flow.tensor.dtype === 'int32' ? flow.tensor : tf.cast(flow.tensor, 'int32');
  const V = num(ctx, 'vocabularySize');
  // The model's own ids (scheduled sampling) stay on a device backend: their bound is checked instead.
  const below = flow.modelIdsBelow;
  if (below !== undefined && below > V)
    throw new Error(
      `Embedding "${ctx.node}" reads the model's own predictions (teacher forcing below 1), which range ` +
        `over ${below} tokens, but its vocabulary has ${V}: give the head and the embedding the same size.`,
    );
  const unread = below !== undefined && usesDevicePath();
  let mask = flow.mask; // the model's own ids always come with the target mask (scheduledSampling.ts)
  if (!mask && ctx.params.maskZero) mask = Float32Array.from(ids.dataSync(), (v) => (v === 0 ? 0 : 1));
  if (!ctx.params.oneHot)
    return {
      out: {
        tensor: embeddingLookup(ctx.weight('embeddings') as tf.Tensor2D, ids, { inRange: unread }),
        mask,
      },
    };
  // Ids outside the vocabulary make an all-zero row, which a kernel-row lookup cannot express. Read
  // before oneHot uses them: on webgpu the ids are still host-side until then (no device readback).
  const values = unread ? null : (ids.dataSync() as Int32Array);
  // float32 straight away: on webgpu a cast from int32 keeps the int32 buffer, and tfjs 4.22's transpose
  // shader then fails to compile for it.
  const tensor = tf.oneHot(ids as tf.Tensor2D, V, 1, 0, 'float32');
  if (!values) return { out: { tensor, mask } };
  const inRange = ids.rank === 2 && values.every((v) => v >= 0 && v < V);
  return { out: { tensor, mask, ...(inRange ? { oneHotIds: Int32Array.from(values) } : {}) } };
};

/** Standard: a fresh mask per element. Variational on sequences: one mask per sequence and feature. */
export function applyDropout(
  x: tf.Tensor,
  rate: number,
  variational: boolean,
  training: boolean,
  random: () => number,
): tf.Tensor {
  if (!training || rate <= 0) return x;
  const noiseShape = variational && x.rank === 3 ? [x.shape[0]!, 1, x.shape[2]!] : x.shape;
  return seededDropout(x, rate, random, noiseShape);
}

export const dropout: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const tensor = applyDropout(
    flow.tensor,
    num(ctx, 'rate'),
    ctx.params.mode === 'variational',
    ctx.options.training,
    ctx.random,
  );
  return { out: { ...flow, tensor, oneHotIds: tensor === flow.tensor ? flow.oneHotIds : undefined } };
};

/** x·W + b on the last axis, for vectors [B,F] and sequences [B,T,F] alike (time-distributed). */
export function linear(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const F = x.shape[x.rank - 1]!;
  const units = kernel.shape[1]!;
  const flat = x.rank === 2 ? x : tf.reshape(x, [-1, F]);
  const y = matMulBias(flat as tf.Tensor2D, kernel as tf.Tensor2D, bias as tf.Tensor1D);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), units]);
}

export function activate(x: tf.Tensor, activation: string): tf.Tensor {
  switch (activation) {
    case 'tanh':
      return tf.tanh(x);
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'gelu': // exact, x·Φ(x), as PyTorch's F.gelu, tfjs-layers and the inference evaluator compute it
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    case 'softmax':
      return tf.softmax(x);
    default:
      return x;
  }
}

export const dense: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  const y = activate(
    linear(flow.tensor, ctx.weight('kernel'), ctx.weight('bias')),
    ctx.params.activation as string,
  );
  return { out: { tensor: y, mask: flow.mask } };
};

/** The head's `out` is its logits; compile.ts turns them into the loss and the probabilities. */
export const head: BlockBuilder = (ctx) => {
  const flow = inputOf(ctx);
  return { out: { tensor: linear(flow.tensor, ctx.weight('kernel'), ctx.weight('bias')), mask: flow.mask } };
};

function firstMask(flows: Flow[]): Float32Array | null {
  return flows.find((f) => f.mask)?.mask ?? null;
}

export const concatenate: BlockBuilder = (ctx) => {
  const flows = ctx.inputs.in ?? [];
  return {
    out: {
      tensor: tf.concat(
        flows.map((f) => f.tensor),
        -1,
      ),
      mask: firstMask(flows),
    },
  };
};

export const add: BlockBuilder = (ctx) => {
  const flows = ctx.inputs.in ?? [];
  return { out: { tensor: tf.addN(flows.map((f) => f.tensor)), mask: firstMask(flows) } };
};
