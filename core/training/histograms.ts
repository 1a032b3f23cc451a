// Weight and activation histograms at the end of an epoch, as TensorBoard users expect, kept small:
// - Sampled: every epoch of a run of up to MAX_HISTOGRAM_SNAPSHOTS epochs; a longer run keeps one fewer,
//   evenly spread from the first epoch to the last, so an early-stopped run can still add its last epoch.
// - Cheap: the weights are binned from the copy the loop already reads back at every epoch's end (its
//   rollback state), so they cost no readback at all; the activations come from the probe's own forward
//   pass on its one example when the probe runs that epoch, else from one forward pass of that example.
//   One read per activation tensor; binning happens here, in JS (core/telemetry/histogram.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardResult, NamedWeight, StudioModel } from '../engine/types.js';
import type { HistogramEvent } from '../telemetry/events.js';
import { histogramOf } from '../telemetry/histogram.js';
import type { ExampleSource } from './source.js';
import type { SavedTensor } from './tensors.js';

/** At most this many histogram events per run: ~50 rows per layer are still legible as a heatmap. */
export const MAX_HISTOGRAM_SNAPSHOTS = 50;

/**
 * Whether epoch `epoch` (from 1) of a run of `epochs` gets a snapshot. Runs longer than `max` epochs get
 * `max − 1` snapshots at round(1 + i·(epochs − 1)/(max − 2)), i = 0 … max − 2: the first epoch,
 * the last, and even steps between (the spacing is over 1, so the rounded epochs are distinct).
 */
export function histogramDue(epoch: number, epochs: number, max = MAX_HISTOGRAM_SNAPSHOTS): boolean {
  if (max < 3) throw new Error(`Histogram snapshots need a bound of at least 3, not ${max}.`);
  if (epoch < 1 || epoch > epochs) return false;
  if (epochs <= max) return true;
  const spacing = (epochs - 1) / (max - 2);
  const i = Math.round((epoch - 1) / spacing);
  return Math.round(1 + i * spacing) === epoch;
}

/** A layer's output kept past the forward pass's tidy until it is read. */
export interface PendingActivation {
  layer: string;
  tensor: tf.Tensor;
  mask: Float32Array | null;
}

/**
 * Call inside the tidy that ran the forward pass: keeps each layer's output for `activationHistograms`.
 * A clone (a new handle on the same data, no copy) because an output can also be a probe output (a
 * recurrent layer's `out` is its hidden states) that the probe disposes once it has read it.
 */
export function keepActivations(result: ForwardResult): PendingActivation[] {
  return Object.entries(result.activations ?? {}).map(([layer, a]) => ({
    layer,
    tensor: tf.keep(tf.clone(a.tensor)),
    mask: a.mask,
  }));
}

/** The real (unmasked) time steps of a [B,T,…] output; a [B,F] vector or an unmasked sequence as it is. */
export function realSteps(
  shape: readonly number[],
  data: Float32Array,
  mask: Float32Array | null,
): Float32Array {
  const [batch = 1, time = 1] = shape;
  if (!mask || shape.length < 3 || mask.length !== batch * time) return data;
  const inner = data.length / (batch * time);
  let real = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) real += 1;
  if (real === mask.length) return data;
  const out = new Float32Array(real * inner);
  let at = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    out.set(data.subarray(i * inner, (i + 1) * inner), at);
    at += inner;
  }
  return out;
}

/** Reads each kept output once, bins its real steps, and disposes it. */
export async function activationHistograms(
  pending: PendingActivation[],
  bins?: number,
): Promise<HistogramEvent['activations']> {
  try {
    const values = await Promise.all(pending.map((p) => p.tensor.data() as Promise<Float32Array>));
    return pending.map((p, i) => ({
      layer: p.layer,
      histogram: histogramOf(realSteps(p.tensor.shape, values[i]!, p.mask), bins),
    }));
  } finally {
    tf.dispose(pending.map((p) => p.tensor));
  }
}

/** The probe example's layer outputs when the probe itself does not run this epoch. */
export async function probeActivations(
  model: StudioModel,
  source: ExampleSource,
  index: number,
): Promise<HistogramEvent['activations']> {
  const batch = source.batch([index]);
  const pending: PendingActivation[] = [];
  tf.tidy(() => {
    pending.push(...keepActivations(model.forward(batch, { training: false, activations: true })));
  });
  return activationHistograms(pending);
}

/** One histogram per weight tensor, from values already read (the loop's end-of-epoch copy). */
export function weightHistograms(
  weights: readonly NamedWeight[],
  saved: readonly SavedTensor[],
  bins?: number,
): HistogramEvent['weights'] {
  const byName = new Map(saved.map((s) => [s.name, s]));
  return weights.flatMap((w) => {
    const values = byName.get(w.name);
    return values ? [{ layer: w.node, weight: w.name, histogram: histogramOf(values.data, bins) }] : [];
  });
}
