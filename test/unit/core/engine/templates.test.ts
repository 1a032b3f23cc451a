// Every shipped template compiles into a trainable model for its task (resources/templates/*.json), with
// weights named by node and a finite loss on a small random batch of the shapes its task needs.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../../../core/data/batch.js';
import type { TaskId } from '../../../../core/data/spec.js';
import type { Graph } from '../../../../core/graph/types.js';
import { compileGraph } from '../../../../core/engine/compile.js';

const dir = fileURLToPath(new URL('../../../../resources/templates/', import.meta.url));
const templates = readdirSync(dir).filter((f) => f.endsWith('.json'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const B = 2,
  T = 5;
function ids(shape: number[], n: number): { dtype: 'int32'; shape: number[]; data: Int32Array } {
  return {
    dtype: 'int32',
    shape,
    data: Int32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => 1 + (i % (n - 1))),
  };
}
const ones = (shape: number[]) => ({
  dtype: 'float32' as const,
  shape,
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1),
});

function batchFor(graph: Graph, task: TaskId): Batch {
  const param = (kind: string, key: string, fallback: number) =>
    Number(graph.nodes.find((n) => n.kind === kind)?.params[key] ?? fallback);
  const vocab = param('embedding', 'vocabularySize', 8);
  const units = param('head', 'units', 2);
  const features = param('input', 'features', 2);
  const batch: Batch = { tokens: ids([B, T], vocab), mask: ones([B, T]) };
  if (graph.nodes.some((n) => n.kind === 'input' && n.params.role === 'features'))
    batch.features = {
      dtype: 'float32',
      shape: [B, T, features],
      data: Float32Array.from({ length: B * T * features }, (_, i) => Math.sin(i)),
    };
  if (task === 'classification') batch.labels = ids([B], units);
  if (task === 'regression')
    batch.targets = { dtype: 'float32', shape: [B, units], data: new Float32Array(B * units).fill(0.5) };
  if (task === 'tagging' || task === 'language-model') batch.labels = ids([B, T], units);
  if (task === 'seq2seq')
    Object.assign(batch, {
      source: ids([B, T], vocab),
      sourceMask: ones([B, T]),
      targetIn: ids([B, 4], vocab),
      targetOut: ids([B, 4], units),
      targetMask: ones([B, 4]),
    });
  return batch;
}

describe.each(templates)('template %s', (file) => {
  it('compiles and gives a finite loss', () => {
    const t = JSON.parse(readFileSync(dir + file, 'utf8')) as { task: TaskId; graph: Graph };
    const model = compileGraph(t.graph, { task: t.task });
    expect(model.weights.length).toBeGreaterThan(0);
    const loss = tf.tidy(
      () => model.forward(batchFor(t.graph, t.task), { training: true }).loss.dataSync()[0]!,
    );
    expect(Number.isFinite(loss)).toBe(true);
    model.dispose();
  });
});
