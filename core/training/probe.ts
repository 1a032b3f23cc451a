// The probe: one example looked at closely after an epoch. Hidden states, gate activations and attention
// come from the model's probe outputs; the gradient through time ‖∂loss/∂h_t‖ comes from zero "taps" the
// model adds to h_t inside its recurrence (ForwardOptions.taps), so it is the total derivative through
// time, the quantity that vanishes in an Elman RNN on long sequences.
import * as tf from '@tensorflow/tfjs-core';
import type { StudioModel } from '../engine/types.js';
import type { ProbeEvent } from '../telemetry/events.js';
import { finite } from '../telemetry/events.js';
import type { ExampleSource } from './source.js';

/** Largest matrices a probe event carries, so history files and messages stay small. */
const MAX_UNITS = 32;
const MAX_STEPS = 200;
/** Gates, hidden states and attention weights lie in [-1, 1]: 4 decimals are plenty for a heatmap. */
const round = (v: number) => Math.round(v * 1e4) / 1e4;
/** The gradient picture is one number per step: keep every step of all but huge sequences. */
const MAX_GRADIENT_STEPS = 5000;

type ProbeBody = Omit<ProbeEvent, 'v' | 'time' | 'type' | 'epoch' | 'step'>;

/** [1,T,H] → units × time (first `length` steps). */
function unitsByTime(tensor: tf.Tensor, length: number): number[][] {
  const [, time = 0, units = 1] = tensor.shape;
  const data = tensor.dataSync();
  const steps = Math.min(length, time, MAX_STEPS);
  const rows: number[][] = [];
  for (let u = 0; u < Math.min(units, MAX_UNITS); u++) {
    const row: number[] = [];
    for (let t = 0; t < steps; t++) row.push(round(data[t * units + u] as number));
    rows.push(row);
  }
  return rows;
}

/** [1,Tq,Tk] → rows of attention weights. */
function matrixOf(tensor: tf.Tensor): number[][] {
  const [, rows = 0, cols = 0] = tensor.shape.length === 3 ? tensor.shape : [1, 1, tensor.shape[1] ?? 0];
  const data = tensor.dataSync();
  return Array.from({ length: Math.min(rows, MAX_STEPS) }, (_, r) => Array.from(data.subarray(r * cols, r * cols + Math.min(cols, MAX_STEPS)), round));
}

/** ‖∂loss/∂h_t‖ per layer, or [] when the model takes no taps (the probe then shows no gradient picture). */
export function gradientThroughTime(
  model: StudioModel,
  batch: Parameters<StudioModel['forward']>[0],
  hidden: Record<string, number[]>,
  length: number,
): ProbeBody['gradientThroughTime'] {
  const layers = Object.keys(hidden);
  if (layers.length === 0) return [];
  try {
    const perLayer = tf.tidy(() => {
      const taps = layers.map((layer) => tf.zeros(hidden[layer] as number[]));
      const grads = tf.grads((...inputs: tf.Tensor[]) => {
        const byLayer = Object.fromEntries(layers.map((layer, i) => [layer, inputs[i] as tf.Tensor]));
        return model.forward(batch, { training: false, taps: byLayer }).loss;
      })(taps);
      return layers.map((layer, i) => {
        const norms = tf.sqrt(tf.sum(tf.square(grads[i] as tf.Tensor), -1)).dataSync(); // [1,T] → T
        return { layer, norms: Array.from(norms.subarray(0, Math.min(length, MAX_GRADIENT_STEPS))) };
      });
    });
    return perLayer.map(({ layer, norms }) => ({ layer, norms: norms.map(finite) }));
  } catch {
    return []; // the model ignores taps: tfjs finds no path from a tap to the loss
  }
}

export function runProbe(model: StudioModel, source: ExampleSource, index: number, split: 'train' | 'validation'): ProbeBody {
  const batch = source.batch([index]);
  const mask = batch.targetMask ?? batch.mask;
  const time = (batch.tokens ?? batch.features ?? batch.source)?.shape[1] ?? 0;
  const length = mask ? Array.from(mask.data).reduce((n, v) => n + v, 0) : time;
  const collected = tf.tidy(() => {
    const { outputs } = model.forward(batch, { training: false, probe: true });
    const hiddenShapes: Record<string, number[]> = {};
    const gates: ProbeBody['gates'] = [];
    const hiddenStates: ProbeBody['hiddenStates'] = [];
    const attention: ProbeBody['attention'] = [];
    for (const [key, tensor] of Object.entries(outputs)) {
      const hiddenMatch = /^(.+)\/hidden$/.exec(key);
      const gateMatch = /^(.+)\/gate\/(.+)$/.exec(key);
      const attentionMatch = /^(.+)\/attention$/.exec(key);
      if (hiddenMatch?.[1]) {
        hiddenShapes[hiddenMatch[1]] = [...tensor.shape];
        hiddenStates.push({ layer: hiddenMatch[1], values: unitsByTime(tensor, length) });
      } else if (gateMatch?.[1] && gateMatch[2]) {
        gates.push({ layer: gateMatch[1], gate: gateMatch[2], values: unitsByTime(tensor, length) });
      } else if (attentionMatch?.[1] && tensor.rank === 4) {
        // Self-attention gives one map per head, [1,H,Tq,Tk]: one heatmap each, named `${node}/head${h}`.
        tf.unstack(tf.squeeze(tensor, [0])).forEach((head, h) => attention.push({ layer: `${attentionMatch[1]}/head${h + 1}`, weights: matrixOf(tf.expandDims(head, 0)) }));
      } else if (attentionMatch?.[1]) {
        attention.push({ layer: attentionMatch[1], weights: matrixOf(tensor) });
      }
    }
    return { hiddenShapes, gates, hiddenStates, attention };
  });
  const described = source.describe?.(index);
  const ids = batch.tokens ?? batch.source;
  const tokens = described?.tokens ?? (ids ? Array.from(ids.data.subarray(0, Math.round(length)), String) : []);
  return {
    example: {
      index,
      split,
      tokens,
      ...(described?.targetTokens ? { targetTokens: described.targetTokens } : {}),
      length: Math.round(length),
    },
    gradientThroughTime: gradientThroughTime(model, batch, collected.hiddenShapes, Math.round(length)),
    gates: collected.gates,
    hiddenStates: collected.hiddenStates,
    attention: collected.attention,
  };
}
