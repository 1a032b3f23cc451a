// The probe: one example looked at closely after an epoch. Hidden states, gate activations and attention
// come from the model's probe outputs; the gradient through time ‖∂loss/∂h_t‖ comes from zero "taps"
// the
// model adds to h_t inside its recurrence (ForwardOptions.taps), so it is the total derivative through
// time, the quantity that vanishes in an Elman RNN on long sequences.
import * as tf from '@tensorflow/tfjs-core';
import type { StudioModel } from '../engine/types.js';
import type { ProbeEvent } from '../telemetry/events.js';
import { finite } from '../telemetry/events.js';
import { keepActivations, type PendingActivation } from './histograms.js';
import type { ExampleSource } from './source.js';

/** Largest matrices a probe event carries, so history files and messages stay small. */
const MAX_UNITS = 32;
const MAX_STEPS = 200;
/** Gates, hidden states and attention weights lie in [-1, 1]: 4 decimals are plenty for a heatmap. */
const round = (v: number) => Math.round(v * 1e4) / 1e4;
/** The gradient picture is one number per step: keep every step of all but huge sequences. */
const MAX_GRADIENT_STEPS = 5000;

type ProbeBody = Omit<ProbeEvent, 'v' | 'time' | 'type' | 'epoch' | 'step'>;

/**
 * [1,T,H] → units × time (first `length` steps), rounded to 4 decimals. The probe and the playground's
 * view inside the model both read their heatmaps with it; `limits` caps the matrix (default: the probe's).
 */
export function unitsByTime(
  shape: readonly number[],
  data: ArrayLike<number>,
  length: number,
  limits: { units: number; steps: number } = { units: MAX_UNITS, steps: MAX_STEPS },
): number[][] {
  const [, time = 0, units = 1] = shape;
  const steps = Math.min(length, time, limits.steps);
  const rows: number[][] = [];
  for (let u = 0; u < Math.min(units, limits.units); u++) {
    const row: number[] = [];
    for (let t = 0; t < steps; t++) row.push(round(data[t * units + u] as number));
    rows.push(row);
  }
  return rows;
}

/** What a probe output of a recurrent layer is: `${layer}/hidden` or `${layer}/gate/${gate}`; else null. */
export function recurrentProbeKey(
  key: string,
): { kind: 'hidden'; layer: string } | { kind: 'gate'; layer: string; gate: string } | null {
  const hidden = /^(.+)\/hidden$/.exec(key);
  if (hidden?.[1]) return { kind: 'hidden', layer: hidden[1] };
  const gate = /^(.+)\/gate\/(.+)$/.exec(key);
  if (gate?.[1] && gate[2]) return { kind: 'gate', layer: gate[1], gate: gate[2] };
  return null;
}

/** [1,Tq,Tk] → rows of attention weights. */
function matrixOf(shape: number[], data: Float32Array): number[][] {
  const [, rows = 0, cols = 0] = shape.length === 3 ? shape : [1, 1, shape[1] ?? 0];
  return Array.from({ length: Math.min(rows, MAX_STEPS) }, (_, r) =>
    Array.from(data.subarray(r * cols, r * cols + Math.min(cols, MAX_STEPS)), round),
  );
}

/**
 * ‖∂loss/∂h_t‖ per layer, or [] when the model takes no taps (the probe then shows no gradient
 * picture).
 */
export async function gradientThroughTime(
  model: StudioModel,
  batch: Parameters<StudioModel['forward']>[0],
  hidden: Record<string, number[]>,
  length: number,
): Promise<ProbeBody['gradientThroughTime']> {
  const layers = Object.keys(hidden);
  if (layers.length === 0) return [];
  let normTensors: tf.Tensor[];
  try {
    normTensors = tf.tidy(() => {
      const taps = layers.map((layer) => tf.zeros(hidden[layer] as number[]));
      const grads = tf.grads((...inputs: tf.Tensor[]) => {
        const byLayer = Object.fromEntries(layers.map((layer, i) => [layer, inputs[i] as tf.Tensor]));
        return model.forward(batch, { training: false, taps: byLayer }).loss;
      })(taps);
      return layers.map((_, i) => tf.sqrt(tf.sum(tf.square(grads[i] as tf.Tensor), -1))); // [1,T]
    });
  } catch {
    return []; // the model ignores taps: tfjs finds no path from a tap to the loss
  }
  const values = await Promise.all(normTensors.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(normTensors);
  return layers.map((layer, i) => ({
    layer,
    norms: Array.from(values[i]!.subarray(0, Math.min(length, MAX_GRADIENT_STEPS))).map(finite),
  }));
}

/** A tensor the probe reports, kept until it is read. */
interface Pending {
  kind: 'hidden' | 'gate' | 'attention';
  layer: string;
  gate?: string;
  tensor: tf.Tensor;
}

/**
 * Reads asynchronously (a GPU backend cannot read synchronously in Node). When `activations` is given, the
 * same forward pass also keeps every layer's output there (the caller reads and disposes them), so an
 * epoch that is probed and histogrammed runs the probe example once.
 */
export async function runProbe(
  model: StudioModel,
  source: ExampleSource,
  index: number,
  split: 'train' | 'validation',
  activations?: PendingActivation[],
): Promise<ProbeBody> {
  const batch = source.batch([index]);
  const mask = batch.targetMask ?? batch.mask;
  const time = (batch.tokens ?? batch.features ?? batch.source)?.shape[1] ?? 0;
  const length = mask ? Array.from(mask.data).reduce((n, v) => n + v, 0) : time;
  const pending: Pending[] = [];
  tf.tidy(() => {
    const result = model.forward(batch, { training: false, probe: true, activations: !!activations });
    const { outputs } = result;
    if (activations) activations.push(...keepActivations(result));
    const add = (p: Pending) => pending.push({ ...p, tensor: tf.keep(p.tensor) });
    for (const [key, tensor] of Object.entries(outputs)) {
      const recurrent = recurrentProbeKey(key);
      const attentionMatch = /^(.+)\/attention$/.exec(key);
      if (recurrent) {
        add({ ...recurrent, tensor });
      } else if (attentionMatch?.[1] && tensor.rank === 4) {
        // Self-attention gives one map per head, [1,H,Tq,Tk]: one heatmap each, named `${node}/head${h}`.
        tf.unstack(tf.squeeze(tensor, [0])).forEach((head, h) =>
          add({
            kind: 'attention',
            layer: `${attentionMatch[1]}/head${h + 1}`,
            tensor: tf.expandDims(head, 0),
          }),
        );
      } else if (attentionMatch?.[1]) {
        add({ kind: 'attention', layer: attentionMatch[1], tensor });
      }
    }
  });
  const values = await Promise.all(pending.map((p) => p.tensor.data() as Promise<Float32Array>));
  const hiddenShapes: Record<string, number[]> = {};
  const gates: ProbeBody['gates'] = [];
  const hiddenStates: ProbeBody['hiddenStates'] = [];
  const attention: ProbeBody['attention'] = [];
  pending.forEach((p, i) => {
    const shape = [...p.tensor.shape];
    const data = values[i]!;
    if (p.kind === 'hidden') {
      hiddenShapes[p.layer] = shape;
      hiddenStates.push({ layer: p.layer, values: unitsByTime(shape, data, length) });
    } else if (p.kind === 'gate')
      gates.push({ layer: p.layer, gate: p.gate!, values: unitsByTime(shape, data, length) });
    else attention.push({ layer: p.layer, weights: matrixOf(shape, data) });
  });
  tf.dispose(pending.map((p) => p.tensor));
  const collected = { hiddenShapes, gates, hiddenStates, attention };
  const described = source.describe?.(index);
  const ids = batch.tokens ?? batch.source;
  const tokens =
    described?.tokens ?? (ids ? Array.from(ids.data.subarray(0, Math.round(length)), String) : []);
  return {
    example: {
      index,
      split,
      tokens,
      ...(described?.targetTokens ? { targetTokens: described.targetTokens } : {}),
      length: Math.round(length),
    },
    gradientThroughTime: await gradientThroughTime(model, batch, collected.hiddenShapes, Math.round(length)),
    gates: collected.gates,
    hiddenStates: collected.hiddenStates,
    attention: collected.attention,
  };
}
