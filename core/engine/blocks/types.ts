// What flows along a wire at run time, and what a block builder gets to compute its outputs. One builder
// per catalog kind (index.ts lists them); compile.ts walks the graph and calls them in wire order.
import type * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../../data/batch.js';
import type { ForwardOptions } from '../types.js';

export interface Flow {
  /** [B,T] ids, [B,T,F] sequence, [B,F] vector, or for a `state` port the first state tensor. */
  tensor: tf.Tensor;
  /** [B*T] batch-major, 1 = real step; null = every step real (or not a sequence). */
  mask: Float32Array | null;
  /** Recurrent state for `state` ports: [h] or [h, c], each [B,H]. */
  states?: tf.Tensor[];
  /** An Encoder's `state` port: every layer's final state (bottom first), so a Decoder pairs them up. */
  layerStates?: { h?: tf.Tensor2D; c?: tf.Tensor2D }[];
  /**
   * Set when `tensor` is exactly oneHot(ids) [B,T,V] (a one-hot embedding): a recurrent layer reading it
   * looks kernel rows up instead of multiplying. Any block that changes the tensor drops it.
   */
  oneHotIds?: Int32Array;
  /**
   * Set when `tensor` holds ids the model made itself (scheduled sampling's target input), all below this
   * bound: on a device backend they are never read back, so an embedding checks the bound instead.
   */
  modelIdsBelow?: number;
}

export interface BlockContext {
  node: string;
  kind: string;
  /** Params with defaults filled by the catalog. */
  params: Record<string, unknown>;
  /** Incoming flows per input port, in wire order. */
  inputs: Record<string, Flow[]>;
  batch: Batch;
  /** Batch fields the model made itself, as tensors with ids below `below` (scheduled sampling). */
  given?: Partial<Record<'targetIn', { tensor: tf.Tensor; below: number }>>;
  options: ForwardOptions;
  /** The node's weight by its catalog name (`kernel`, `forward/recurrent_kernel`, `layer2/bias`). */
  weight(name: string): tf.Tensor;
  /** Probe output under `${node}/${key}` (only stored when options.probe). */
  emit(key: string, tensor: tf.Tensor): void;
  /** Truncated BPTT: the state a recurrence ended in, by key (the node id, or `${node}/backward` …). */
  setFinalStateOf(key: string, states: tf.Tensor[]): void;
  /** Uniform [0,1) from the model's seeded generator (dropout masks). */
  random(): number;
}

export type BlockBuilder = (ctx: BlockContext) => Record<string, Flow>;

/** The single input flow on `port`, or a clear error naming the node. */
export function inputOf(ctx: BlockContext, port = 'in'): Flow {
  const flow = ctx.inputs[port]?.[0];
  if (!flow) throw new Error(`Block "${ctx.node}" (${ctx.kind}) has nothing wired into "${port}".`);
  return flow;
}

export function num(ctx: BlockContext, field: string): number {
  const v = ctx.params[field];
  if (typeof v !== 'number') throw new Error(`Block "${ctx.node}": parameter "${field}" must be a number.`);
  return v;
}
