// Trained weights as plain arrays, named `${nodeId}/${name}` in the Keras/tfjs layout. The exporters read
// them from here and write them out; tests make seeded random ones. Packing is little-endian float32 (what
// tfjs weight files and numpy's '<f4' both read), with a manifest of name, shape and byte offset.
import { seeded as seededRandom } from '../../core/engine/init.js';
import type { ModelPlan } from './plan.js';

export interface WeightArray {
  shape: number[];
  data: Float32Array;
}

export type WeightValues = Record<string, WeightArray>;

export interface WeightManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  /** Byte offset into the packed file. */
  offset: number;
}

export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Checks every weight the plan needs is present with its shape; the message names the first wrong one. */
export function checkWeights(plan: ModelPlan, values: WeightValues): void {
  for (const node of plan.nodes) {
    for (const spec of node.weights) {
      const name = `${node.id}/${spec.name}`;
      const w = values[name];
      if (!w)
        throw new Error(
          `The weights have no "${name}": the model was changed after training. Train it again.`,
        );
      if (w.shape.join(',') !== spec.shape.join(',') || w.data.length !== sizeOf(spec.shape)) {
        throw new Error(
          `Weight "${name}" is [${w.shape.join(', ')}] but the model needs ` +
            `[${spec.shape.join(', ')}]: train again.`,
        );
      }
    }
  }
}

/** Weight names in plan order (the order every exported file lists them). */
export function weightNames(plan: ModelPlan): string[] {
  return plan.nodes.flatMap((n) => n.weights.map((w) => `${n.id}/${w.name}`));
}

/** Packs the named weights one after another into one buffer. */
export function packWeights(
  names: string[],
  values: WeightValues,
): { bytes: Uint8Array; manifest: WeightManifestEntry[] } {
  const total = names.reduce((sum, n) => sum + values[n]!.data.length, 0);
  const all = new Float32Array(total);
  const manifest: WeightManifestEntry[] = [];
  let at = 0;
  for (const name of names) {
    const w = values[name]!;
    all.set(w.data, at);
    manifest.push({ name, shape: w.shape, dtype: 'float32', offset: at * 4 });
    at += w.data.length;
  }
  // Float32Array is platform-endian; every platform the studio runs on is little-endian.
  return { bytes: new Uint8Array(all.buffer), manifest };
}

/** Mulberry32, the engine's seeded generator (one implementation for weights, tests and previews). */
export { seededRandom };

/**
 * Random weights for every node in the plan: uniform ±scale, with values that keep the model well
 * behaved (layer-norm gains near 1, state-space rates as the S4D-Real init), for parity tests.
 */
export function randomWeights(plan: ModelPlan, seed = 1, scale = 0.3): WeightValues {
  const random = seededRandom(seed);
  const values: WeightValues = {};
  for (const node of plan.nodes) {
    for (const spec of node.weights) {
      const n = sizeOf(spec.shape);
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = (random() * 2 - 1) * scale;
      if (spec.name.endsWith('gamma')) data.forEach((v, i) => (data[i] = 1 + v));
      if (node.kind === 'state-space' && spec.name === 'log_rate')
        data.forEach((v, i) => (data[i] = Math.log(i + 1) + v));
      values[`${node.id}/${spec.name}`] = { shape: [...spec.shape], data };
    }
  }
  return values;
}
