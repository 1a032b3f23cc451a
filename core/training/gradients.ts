// Gradient norms as the Gradients tab shows them (global, per layer, per gate), the non-finite check of
// the NaN guard, and clipping. One dataSync per batch: every weight's sum of squares (and per-gate sums)
// is computed on the backend and read back together.
import * as tf from '@tensorflow/tfjs-core';
import type { NamedWeight } from '../engine/types.js';
import type { ClippingConfig } from './config.js';
import { userKeyed } from '../records/own.js';

export interface GradientReport {
  /** L2 norm over all gradients (before clipping). NaN/Infinity when some gradient is not finite. */
  global: number;
  perLayer: Record<string, number>;
  perGate: Record<string, Record<string, number>>;
  /** The first weight, in model order, whose gradient holds NaN or Infinity. */
  firstNonFinite?: NamedWeight;
  /** Largest absolute gradient entry (clipping by value reports whether it bit). */
  maxAbs: number;
}

/** Sum of squares of a gradient split into gates along its last axis: [gates]. */
function gateSquares(grad: tf.Tensor, gates: number): tf.Tensor1D {
  const last = grad.shape[grad.shape.length - 1] ?? 1;
  const reshaped = tf.reshape(grad, [-1, gates, last / gates]);
  return tf.sum(tf.square(reshaped), [0, 2]) as tf.Tensor1D;
}

export function gradientReport(weights: NamedWeight[], grads: Record<string, tf.Tensor>): GradientReport {
  const present = weights.filter((w) => grads[w.name]);
  const gated = present.filter((w) => splitsIntoGates(w));
  const values = tf.tidy(() => {
    const parts: tf.Tensor[] = present.map((w) => tf.reshape(tf.sum(tf.square(grads[w.name] as tf.Tensor)), [1]));
    for (const w of gated) parts.push(gateSquares(grads[w.name] as tf.Tensor, (w.gates as string[]).length));
    for (const w of present) parts.push(tf.reshape(tf.max(tf.abs(grads[w.name] as tf.Tensor)), [1]));
    return parts.length > 0 ? tf.concat(parts).dataSync() : new Float32Array(0);
  });
  // Keyed by block ids (user text): a block called `constructor` must not find Object there.
  const perLayerSq = userKeyed<number>();
  let total = 0;
  let firstNonFinite: NamedWeight | undefined;
  present.forEach((w, i) => {
    const sq = values[i] as number;
    if (!Number.isFinite(sq) && !firstNonFinite) firstNonFinite = w;
    perLayerSq[w.node] = (perLayerSq[w.node] ?? 0) + sq;
    total += sq;
  });
  const perGateSq = userKeyed<Record<string, number>>();
  let offset = present.length;
  for (const w of gated) {
    const names = w.gates as string[];
    const layer = (perGateSq[w.node] ??= {});
    names.forEach((gate, g) => {
      layer[gate] = (layer[gate] ?? 0) + (values[offset + g] as number);
    });
    offset += names.length;
  }
  const perLayer = Object.fromEntries(Object.entries(perLayerSq).map(([k, v]) => [k, Math.sqrt(v)]));
  const perGate = Object.fromEntries(
    Object.entries(perGateSq).map(([k, gates]) => [k, Object.fromEntries(Object.entries(gates).map(([g, v]) => [g, Math.sqrt(v)]))]),
  );
  let maxAbs = 0;
  for (let i = offset; i < values.length; i++) maxAbs = Math.max(maxAbs, values[i] as number);
  return { global: Math.sqrt(total), perLayer, perGate, maxAbs, ...(firstNonFinite ? { firstNonFinite } : {}) };
}

/** A weight reports per-gate norms when its last axis divides evenly into its gates. */
function splitsIntoGates(w: NamedWeight): boolean {
  const count = w.gates?.length ?? 0;
  const last = w.variable.shape[w.variable.shape.length - 1] ?? 0;
  return count > 1 && last % count === 0;
}

/**
 * Clip gradients. Returns new tensors when clipping bit (the caller disposes them), else the inputs.
 * global-norm follows PyTorch's clip_grad_norm_: scale by max/(norm + 1e-6) when the norm exceeds max.
 */
export function clipGradients(
  grads: Record<string, tf.Tensor>,
  report: GradientReport,
  clipping: ClippingConfig,
): { grads: Record<string, tf.Tensor>; clipped: boolean } {
  if (clipping.kind === 'global-norm' && report.global > clipping.value) {
    const scale = clipping.value / (report.global + 1e-6);
    return { grads: mapValues(grads, (g) => tf.mul(g, scale)), clipped: true };
  }
  if (clipping.kind === 'value' && report.maxAbs > clipping.value) {
    const limit = clipping.value;
    return { grads: mapValues(grads, (g) => tf.clipByValue(g, -limit, limit)), clipped: true };
  }
  return { grads, clipped: false };
}

function mapValues(grads: Record<string, tf.Tensor>, f: (g: tf.Tensor) => tf.Tensor): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, f(g)]));
}
