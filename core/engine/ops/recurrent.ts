// One entry point over the three fused cells, plus the two wrappers built from them (bidirectional,
// stack), so the compiler and the tests call recurrent layers the same way.
import * as tf from '@tensorflow/tfjs-core';
import { runCellOnDevice } from './device/sequence.js';
import { usesDevicePath } from './device/path.js';
import { elmanSequence } from './elman.js';
import { GRU_GATES, gruSequence } from './gru.js';
import { LSTM_GATES, lstmSequence } from './lstm.js';
import type { RecurrentOptions } from './sequence.js';

export type CellKind = 'elman' | 'lstm' | 'gru';
export type MergeMode = 'concat' | 'sum' | 'average' | 'multiply';

export interface CellConfig {
  kind: CellKind;
  units: number;
  /** elman only. */
  activation?: 'tanh' | 'relu';
  /** gru only; default true. */
  resetAfter?: boolean;
}

export interface CellWeights {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor;
}

export interface CellState {
  h?: tf.Tensor2D;
  /** LSTM only. */
  c?: tf.Tensor2D;
}

export interface CellResult {
  sequence: tf.Tensor3D;
  h: tf.Tensor2D;
  c?: tf.Tensor2D;
}

/** Gate names along the last axis of the kernels, for per-gate gradient norms. */
export function cellGates(kind: CellKind): string[] {
  return kind === 'lstm' ? LSTM_GATES : kind === 'gru' ? GRU_GATES : ['hidden'];
}

export function gateCount(kind: CellKind): number {
  return cellGates(kind).length;
}

/** Keras bias shape: GRU with resetAfter has separate input and recurrent biases. */
export function biasShape(cell: CellConfig): number[] {
  const G = gateCount(cell.kind) * cell.units;
  return cell.kind === 'gru' && cell.resetAfter !== false ? [2, G] : [G];
}

export function runCell(
  cell: CellConfig,
  x: tf.Tensor3D,
  w: CellWeights,
  init: CellState = {},
  options: RecurrentOptions = {},
): CellResult {
  if (usesDevicePath()) return runCellOnDevice(cell, x, w, init, options);
  if (cell.kind === 'lstm') return lstmSequence(x, { ...w, bias: w.bias as tf.Tensor1D }, init, options);
  if (cell.kind === 'gru') return gruSequence(x, w, cell.resetAfter !== false, { h: init.h }, options);
  return elmanSequence(
    x,
    { ...w, bias: w.bias as tf.Tensor1D },
    cell.activation ?? 'tanh',
    { h: init.h },
    options,
  );
}

export function mergeDirections(mode: MergeMode, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  switch (mode) {
    case 'concat':
      return tf.concat([a, b], -1);
    case 'sum':
      return tf.add(a, b);
    case 'average':
      return tf.mul(tf.add(a, b), 0.5);
    case 'multiply':
      return tf.mul(a, b);
  }
}

/**
 * A bidirectional layer: the forward cell reads left to right, the backward cell right to left (padded
 * steps at the end are skipped, so it starts at each sequence's last real step), outputs merged per step.
 */
export function bidirectionalSequence(
  cell: CellConfig,
  x: tf.Tensor3D,
  forward: CellWeights,
  backward: CellWeights,
  merge: MergeMode,
  options: Omit<RecurrentOptions, 'goBackwards'> & { backwardRecorder?: RecurrentOptions['recorder'] } = {},
): { sequence: tf.Tensor3D; forward: CellResult; backward: CellResult } {
  const { backwardRecorder, ...rest } = options;
  const f = runCell(cell, x, forward, {}, rest);
  const b = runCell(cell, x, backward, {}, { ...rest, recorder: backwardRecorder, goBackwards: true });
  return { sequence: mergeDirections(merge, f.sequence, b.sequence) as tf.Tensor3D, forward: f, backward: b };
}

/**
 * Stacked layers of one cell kind. With `residual`, a layer whose input has as many features as its
 * units adds its input to its output (the first layer usually differs in width and gets none).
 * `between` runs on each layer's output except the last (the compiler passes dropout there).
 */
export function stackSequence(
  cell: CellConfig,
  x: tf.Tensor3D,
  layers: CellWeights[],
  options: {
    residual?: boolean;
    between?: (y: tf.Tensor3D, layer: number) => tf.Tensor3D;
    recurrent?: RecurrentOptions;
  } = {},
): { sequence: tf.Tensor3D; results: CellResult[] } {
  let y = x;
  const results: CellResult[] = [];
  layers.forEach((w, i) => {
    const r = runCell(cell, y, w, {}, options.recurrent);
    results.push(r);
    let out = r.sequence;
    if (options.residual && y.shape[2] === out.shape[2]) out = tf.add(out, y) as tf.Tensor3D;
    if (options.between && i < layers.length - 1) out = options.between(out, i);
    y = out;
  });
  return { sequence: y, results };
}
