// The seam between the engine (graph → trainable model) and the training loop (which knows nothing of
// LSTMs). The loop asks a StudioModel for its loss and named outputs on a batch; the engine builds one
// from a validated graph.
import type * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
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
  /** Truncated BPTT: the state each recurrent layer ended in, by node id, same layout as `initialState`. */
  finalState?: Record<string, Tensor[]>;
  /** When `ForwardOptions.activations`: each block's output by node id (input blocks excepted). */
  activations?: Record<string, LayerActivation>;
}

/** A block's output on a batch, with which time steps are real (the activation histograms skip padding). */
export interface LayerActivation {
  /** The block's `out` port (else its first port): [B,T,F] sequence or [B,F] vector, float. */
  tensor: Tensor;
  /** [B*T] batch-major, 1 = real step; null = every step real (or not a sequence). */
  mask: Float32Array | null;
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

/**
 * Options of a forward pass. Everything but `training` is optional: a model that ignores `taps` and
 * `initialState` still trains; the probe then shows no gradient-through-time and truncated BPTT restarts
 * the state at every window.
 */
export interface ForwardOptions {
  /** Turns dropout on. */
  training: boolean;
  /**
   * Also return what the probe shows, in `outputs`, per layer node id: `${node}/hidden` [B,T,H] (hidden
   * states of a recurrent layer), `${node}/gate/${gate}` [B,T,H] (gate activations, e.g.
   * `lstm1/gate/forget`), `${node}/attention` [B,Tq,Tk].
   */
  probe?: boolean;
  /** Also return each block's output in `ForwardResult.activations` (the activation histograms). */
  activations?: boolean;
  /**
   * Gradient-through-time taps (training loop → model): zero tensors shaped like `${node}/hidden`, by node
   * id. A recurrent layer adds `taps[node][:, t, :]` to h_t inside its recurrence (before h_t feeds step
   * t+1 and the output), so ∂loss/∂taps[node][:, t, :] is the total ∂loss/∂h_t through time. Values
   * are zeros, so the forward result is unchanged.
   */
  taps?: Record<string, Tensor>;
  /**
   * Truncated BPTT (training loop → model): the state each recurrent layer starts from, by node id (LSTM:
   * [h, c]; Elman/GRU: [h]), each [B,H]. Absent = zeros.
   */
  initialState?: Record<string, Tensor[]>;
  /**
   * Training loop → model: the uniform [0,1) source dropout masks should draw from. The loop saves its
   * state in checkpoints, so a resumed run draws the same masks as an uninterrupted one. Absent = the
   * model's own seeded source.
   */
  random?: () => number;
}

export interface StudioModel {
  readonly weights: NamedWeight[];
  /** Forward pass on a batch. Tensors created are the caller's to tidy. */
  forward(batch: Batch, options: ForwardOptions): ForwardResult;
  /** Release every variable. */
  dispose(): void;
}
