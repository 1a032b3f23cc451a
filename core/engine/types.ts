// The seam between the engine (graph → trainable model) and the training loop (which knows nothing of
// LSTMs). The loop asks a StudioModel for its loss and named outputs on a batch; the engine builds one
// from a validated graph.
import type * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batch.js';

/** What a forward pass returns: the scalar loss, and outputs the telemetry and playground read. */
export interface ForwardResult {
  /** Mean loss over real (unmasked) positions: a scalar. */
  loss: tf.Scalar;
  /** Head output per head node id (probabilities or values), and e.g. `${node}/attention` weights. */
  outputs: Record<string, tf.Tensor>;
  /** Task metrics computed on this batch, already masked (accuracy, exactMatch, mse …), as scalars. */
  metrics: Record<string, tf.Scalar>;
  /** Count of real positions this loss was averaged over (for weighting epoch means). */
  count: number;
}

/** A weight the optimizer updates, named `${nodeId}/${weight}` (e.g. `lstm1/kernel`). */
export interface NamedWeight {
  name: string;
  node: string;
  variable: tf.Variable;
  /**
   * For recurrent weights: how the last axis splits into gates, in order (e.g. ['input','forget','cell',
   * 'output'] for LSTM), so per-gate gradient norms can be reported without knowing the cell.
   */
  gates?: string[];
}

export interface StudioModel {
  readonly weights: NamedWeight[];
  /** Forward pass on a batch. `training` turns dropout on. Tensors created are the caller's to tidy. */
  forward(batch: Batch, options: { training: boolean; probe?: boolean }): ForwardResult;
  /** Release every variable. */
  dispose(): void;
}
