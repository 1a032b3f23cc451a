// Shared by the export tests: templates as projects, probe batches, the studio's reference outputs.
import { readFileSync, readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Batch } from '../../../../core/data/batch.js';
import type { EncodedExample } from '../../../../core/data/encode.js';
import { dataFactsOf, parseTemplate, type ProjectDoc } from '../../../../core/project/index.js';
import { planModel, type ModelPlan } from '../../../../main/export/plan.js';
import { randomWeights, seededRandom, type WeightValues } from '../../../../main/export/weights.js';
import { evaluatePlan } from '../../../oracle/evaluatePlan.js';

const TEMPLATES = new URL('../../../../resources/templates/', import.meta.url);

export const TEMPLATE_NAMES = readdirSync(TEMPLATES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

export interface Case {
  name: string;
  project: ProjectDoc;
  plan: ModelPlan;
  weights: WeightValues;
  batch: Batch;
}

export function templateCase(name: string, seed = 3): Case {
  const parsed = parseTemplate(JSON.parse(readFileSync(new URL(`${name}.json`, TEMPLATES), 'utf8')));
  if (!parsed.ok) throw new Error(`template ${name}: ${JSON.stringify(parsed.problems)}`);
  const project = parsed.template.project;
  const plan = planModel(project.graph, dataFactsOf(project));
  return { name, project, plan, weights: randomWeights(plan, seed), batch: probeBatch(plan) };
}

/** Two right-padded rows: one full, one with two padding steps, ids inside every vocabulary. */
export function probeBatch(plan: ModelPlan, B = 2, T = 6): Batch {
  const vocab = Math.min(
    ...plan.nodes.filter((n) => n.kind === 'embedding').map((n) => Number(n.params.vocabularySize)),
    16,
  );
  const ids = new Int32Array(B * T);
  const mask = new Float32Array(B * T);
  for (let b = 0; b < B; b++) {
    const length = b === 0 ? T : T - 2;
    for (let t = 0; t < length; t++) {
      ids[b * T + t] = 1 + ((b * 5 + t * 3) % (vocab - 1));
      mask[b * T + t] = 1;
    }
  }
  const features = plan.inputs.features ? Number(plan.inputs.features.params.features) : 0;
  const batch: Batch = {};
  const tokens = { dtype: 'int32' as const, shape: [B, T], data: ids };
  const m = { dtype: 'float32' as const, shape: [B, T], data: mask };
  if (plan.inputs.tokens) Object.assign(batch, { tokens, mask: m });
  if (plan.inputs.source)
    Object.assign(batch, { source: tokens, sourceMask: m, targetIn: tokens, targetMask: m });
  if (features) {
    const data = Float32Array.from({ length: B * T * features }, (_, i) =>
      mask[Math.floor(i / features)]! ? Math.sin(i * 0.7) : 0,
    );
    Object.assign(batch, { features: { dtype: 'float32', shape: [B, T, features], data }, mask: m });
  }
  return batch;
}

export interface Outputs {
  [name: string]: { shape: number[]; data: number[] };
}

/** The studio's outputs on the probe batch (tfjs cpu backend). */
export async function studioOutputs(c: Case): Promise<Outputs> {
  await tf.setBackend('cpu');
  const result = tf.tidy(() => evaluatePlan(c.plan, c.weights, c.batch).outputs);
  const out: Outputs = {};
  for (const [k, v] of Object.entries(result)) {
    out[k] = { shape: v.shape, data: Array.from(v.dataSync()) };
    v.dispose();
  }
  return out;
}

/**
 * Largest |a - b| over real positions: per-step outputs [B,T,…] and attention weights [B,heads,T,T] skip
 * padded steps (mask 0), where the studio and the exports may legitimately differ; others compare fully.
 */
export function maxDifference(
  a: Outputs[string],
  b: Outputs[string],
  mask: Float32Array | Int32Array | undefined,
): number {
  let worst = 0;
  const shape = a.shape;
  const [B, T] = [shape[0]!, mask ? mask.length / shape[0]! : 0];
  const timeAxis = shape.length >= 3 && shape[1] === T ? 1 : shape.length === 4 && shape[2] === T ? 2 : -1;
  const after = timeAxis < 0 ? 1 : shape.slice(timeAxis + 1).reduce((x, y) => x * y, 1);
  for (let i = 0; i < a.data.length; i++) {
    if (timeAxis >= 0 && mask) {
      const b0 = Math.floor(i / (a.data.length / B));
      const t = Math.floor(i / after) % T;
      if (!mask[b0 * T + t]) continue;
    }
    worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
  }
  return worst;
}

/**
 * Relative error as the engine's fixture tests define it: the largest difference over real positions
 * divided by the reference's largest magnitude there (so a tolerance means the same on probabilities,
 * logits or attention weights).
 */
export function relativeDifference(
  expected: Outputs[string],
  actual: Outputs[string],
  mask: Float32Array | Int32Array | undefined,
): number {
  const scale = maxDifference(expected, { shape: expected.shape, data: expected.data.map(() => 0) }, mask);
  return maxDifference(expected, actual, mask) / Math.max(scale, 1e-30);
}

/**
 * The probe batch with the labels the loss reads, varied so every class and position has a gradient: for
 * the studio (its Batch) and for the PyTorch export's train.py (`task_loss`), which differ only for sigmoid
 * heads (the studio reads 0/1 per unit, train.py the class id it one-hot encodes).
 */
export function labelledBatches(c: Case): { studio: Batch; torch: Batch } {
  const b = c.batch;
  const [B, T] = (b.tokens ?? b.features ?? b.source)!.shape as [number, number];
  const head = c.plan.heads[0]!;
  const units = Number(head.params.units);
  const ids = (shape: number[]) => ({
    dtype: 'int32' as const,
    shape,
    data: Int32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, (_, i) => (i * 7 + 3) % units),
  });
  switch (c.project.task) {
    case 'classification': {
      const labels = ids([B]);
      if (head.params.activation !== 'sigmoid') return { studio: { ...b, labels }, torch: { ...b, labels } };
      const oneHot = Int32Array.from({ length: B * units }, (_, i) =>
        labels.data[Math.floor(i / units)] === i % units ? 1 : 0,
      );
      return {
        studio: { ...b, labels: { dtype: 'int32', shape: [B, units], data: oneHot } },
        torch: { ...b, labels },
      };
    }
    case 'regression': {
      const targets = {
        dtype: 'float32' as const,
        shape: [B, units],
        data: Float32Array.from({ length: B * units }, (_, i) => Math.sin(i + 1)),
      };
      return { studio: { ...b, targets }, torch: { ...b, targets } };
    }
    case 'seq2seq':
      return { studio: { ...b, targetOut: ids([B, T]) }, torch: { ...b, targetOut: ids([B, T]) } };
    default:
      return { studio: { ...b, labels: ids([B, T]) }, torch: { ...b, labels: ids([B, T]) } };
  }
}

/** Batch tensors as nested number arrays (JSON for the Python and tfjs probes). */
export function batchJson(batch: Batch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(batch)) {
    if (!v) continue;
    const nest = (data: ArrayLike<number>, shape: number[]): unknown =>
      shape.length === 1
        ? Array.from(data)
        : Array.from({ length: shape[0]! }, (_, i) =>
            nest(
              Array.prototype.slice.call(
                data,
                i * (data.length / shape[0]!),
                (i + 1) * (data.length / shape[0]!),
              ),
              shape.slice(1),
            ),
          );
    out[k] = nest(v.data, v.shape);
  }
  return out;
}

/**
 * Small learnable datasets shaped like the studio's encoded examples, one per task, sized to the plan
 * (ids below the embedding's vocabulary, labels below the head's units).
 */
export function syntheticExamples(c: Case, count = 96): EncodedExample[] {
  const random = seededRandom(7);
  const int = (n: number) => Math.floor(random() * n);
  const head = c.plan.heads[0]!;
  const units = Number(head.params.units);
  const vocab = Math.min(
    ...c.plan.nodes.filter((n) => n.kind === 'embedding').map((n) => Number(n.params.vocabularySize)),
    1e9,
  );
  const ids = (length: number) => Int32Array.from({ length }, () => 4 + int(Math.min(vocab, 20) - 4));
  return Array.from({ length: count }, (): EncodedExample => {
    const length = 3 + int(6);
    switch (c.project.task) {
      case 'classification': {
        const tokens = ids(length);
        return { tokens, label: tokens[0]! % units, length, truncated: false };
      }
      case 'regression': {
        const f = Number(c.plan.inputs.features?.params.features ?? 2);
        const features = Float32Array.from({ length: length * f }, (_, i) =>
          i % f === 1 ? (i < 2 * f ? 1 : 0) : random(),
        );
        return { features, featureSize: f, values: Float32Array.of(features[0]!), length, truncated: false };
      }
      case 'tagging': {
        const tokens = ids(length);
        return { tokens, steps: Int32Array.from(tokens, (t) => t % units), length, truncated: false };
      }
      case 'language-model': {
        const start = 4 + int(10);
        const all = Int32Array.from({ length: length + 1 }, (_, i) => 4 + ((start + i) % 12));
        return { tokens: all.slice(0, length), steps: all.slice(1), length, truncated: false };
      }
      case 'seq2seq': {
        const source = ids(length);
        return { source, target: source.slice().reverse(), length: length + 1, truncated: false };
      }
    }
  });
}
