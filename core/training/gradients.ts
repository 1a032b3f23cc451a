// Gradient norms as the Gradients tab shows them (global, per layer, per gate), the non-finite check of
// the NaN guard, and clipping. Computed on the backend (`gradientStats`) and read back with the rest of
// the step's telemetry in one read (step.ts); clipping is decided on the backend too, so nothing has to
// be read before the update (on a GPU each read stalls the queue). On wasm the sums come from one pass
// per gradient (wasmGradients.ts) and go back as a small tensor, so the read stays one.
import * as tf from '@tensorflow/tfjs-core';
import type { NamedWeight } from '../engine/types.js';
import { userKeyed } from '../records/own.js';
import type { ClippingConfig } from './config.js';
import { wasmGradientSquares } from './wasmGradients.js';

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

/** Where each weight's numbers sit in `GradientStats.values`. */
export interface GradientLayout {
  present: NamedWeight[];
  gated: NamedWeight[];
}

/**
 * The step's gradient statistics as one tensor on the backend: each weight's sum of squares, then the
 * per-gate sums of squares of the gated ones, then each weight's largest |entry|. Also the global norm
 * and largest |entry| as scalars, for clipping without a read.
 */
export interface GradientStats {
  layout: GradientLayout;
  values: tf.Tensor1D;
  global: tf.Scalar;
  maxAbs: tf.Scalar;
}

export function gradientStats(weights: NamedWeight[], grads: Record<string, tf.Tensor>): GradientStats {
  const present = weights.filter((w) => grads[w.name]);
  const gated = present.filter((w) => splitsIntoGates(w));
  const isGated = new Set(gated);
  const fused = wasmGradientSquares(
    present.map((w) => ({
      grad: grads[w.name] as tf.Tensor,
      gates: isGated.has(w) ? (w.gates as string[]).length : 1,
    })),
  );
  if (fused) {
    const squares = fused.map((f) => f.gates.reduce((a, b) => a + b, 0));
    const gates = fused.filter((_, i) => isGated.has(present[i]!)).flatMap((f) => f.gates);
    const maxima = fused.map((f) => f.maxAbs);
    return {
      layout: { present, gated },
      values: tf.tensor1d([...squares, ...gates, ...maxima], 'float32'),
      global: tf.scalar(Math.sqrt(squares.reduce((a, b) => a + b, 0)), 'float32'),
      maxAbs: tf.scalar(
        maxima.reduce((a, b) => Math.max(a, b), 0),
        'float32',
      ),
    };
  }
  const tensors = tf.tidy(() => {
    const squares = present.map((w) => tf.reshape(tf.sum(tf.square(grads[w.name] as tf.Tensor)), [1]));
    const gates = gated.map((w) => gateSquares(grads[w.name] as tf.Tensor, (w.gates as string[]).length));
    const maxima = present.map((w) => tf.reshape(tf.max(tf.abs(grads[w.name] as tf.Tensor)), [1]));
    const parts = [...squares, ...gates, ...maxima];
    const values = (parts.length > 0 ? tf.concat(parts) : tf.zeros([0])) as tf.Tensor1D;
    const global = (squares.length > 0 ? tf.sqrt(tf.sum(tf.concat(squares))) : tf.scalar(0)) as tf.Scalar;
    const maxAbs = (maxima.length > 0 ? tf.max(tf.concat(maxima)) : tf.scalar(0)) as tf.Scalar;
    return { values, global, maxAbs };
  });
  return { layout: { present, gated }, ...tensors };
}

/** The report from the values of `GradientStats.values`, read back. */
export function readGradientReport(layout: GradientLayout, values: ArrayLike<number>): GradientReport {
  const { present, gated } = layout;
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
    Object.entries(perGateSq).map(([k, gates]) => [
      k,
      Object.fromEntries(Object.entries(gates).map(([g, v]) => [g, Math.sqrt(v)])),
    ]),
  );
  let maxAbs = 0;
  for (let i = offset; i < values.length; i++) maxAbs = Math.max(maxAbs, values[i] as number);
  return {
    global: Math.sqrt(total),
    perLayer,
    perGate,
    maxAbs,
    ...(firstNonFinite ? { firstNonFinite } : {}),
  };
}

/** Whether clipping changed the gradients, from the report read after the step. */
export function clippingBit(report: GradientReport, clipping: ClippingConfig): boolean {
  if (clipping.kind === 'global-norm') return report.global > clipping.value;
  if (clipping.kind === 'value') return report.maxAbs > clipping.value;
  return false;
}

/** A weight reports per-gate norms when its last axis divides evenly into its gates. */
function splitsIntoGates(w: NamedWeight): boolean {
  const count = w.gates?.length ?? 0;
  const last = w.variable.shape[w.variable.shape.length - 1] ?? 0;
  return count > 1 && last % count === 0;
}

/**
 * Clip gradients on the backend, with no read: global-norm follows PyTorch's clip_grad_norm_ (scale by
 * max/(norm + 1e-6) when the norm exceeds max, else by 1); value clamps every entry (a no-op where nothing
 * exceeds the limit). Returns new tensors (the caller disposes them) unless clipping is off.
 */
export function clipGradients(
  grads: Record<string, tf.Tensor>,
  stats: GradientStats,
  clipping: ClippingConfig,
): Record<string, tf.Tensor> {
  if (clipping.kind === 'global-norm') {
    const max = clipping.value;
    const scale = tf.tidy(() =>
      tf.where(tf.greater(stats.global, max), tf.div(max, tf.add(stats.global, 1e-6)), tf.scalar(1)),
    );
    const out = mapValues(grads, (g) => tf.mul(g, scale));
    scale.dispose();
    return out;
  }
  if (clipping.kind === 'value') {
    const limit = clipping.value;
    return mapValues(grads, (g) => tf.clipByValue(g, -limit, limit));
  }
  return grads;
}

function mapValues(
  grads: Record<string, tf.Tensor>,
  f: (g: tf.Tensor) => tf.Tensor,
): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, f(g)]));
}
