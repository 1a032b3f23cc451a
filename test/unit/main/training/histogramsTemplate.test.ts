// Weight and activation histograms on the real path: a template's graph compiled by the engine, its
// dataset (its first examples), three short epochs through the loop. Every layer with weights gets a
// histogram of each weight tensor, every block but the inputs one of its output on the probe example, on an
// epoch with the probe (its forward pass reused) and on one without.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistogramEvent, TelemetryEvent } from '../../../../core/telemetry/events.js';
import { TelemetryEventSchema } from '../../../../core/telemetry/events.js';
import { TrainingConfigSchema } from '../../../../core/training/config.js';
import { RunControl } from '../../../../core/training/control.js';
import { train } from '../../../../core/training/loop.js';
import type { ExampleSource } from '../../../../core/training/source.js';
import { ProjectStore } from '../../../../main/project/index.js';
import { createWorkload } from '../../../../main/training/projectWorkload.js';

const resourcesDir = fileURLToPath(new URL('../../../../resources', import.meta.url));
let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'rnn-histograms-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The first `n` examples: two epochs of a template's whole dataset take minutes on a shared CPU. */
function first(source: ExampleSource, n: number): ExampleSource {
  return {
    size: Math.min(n, source.size),
    ...(source.lengths ? { lengths: Array.from(source.lengths).slice(0, n) } : {}),
    batch: (indices) => source.batch(indices),
    ...(source.describe ? { describe: (i: number) => source.describe!(i) } : {}),
  };
}

async function histogramsOf(template: string) {
  const store = new ProjectStore({ dataDir: dir, resourcesDir, autosaveMs: 0 });
  await store.init();
  const doc = store.doc((await store.create(template)).projectId);
  const workload = await createWorkload({ doc, files: {}, projectPath: null });
  const events: TelemetryEvent[] = [];
  /** Live tensors as each snapshot is emitted: a snapshot that left one behind would grow it. */
  const live: number[] = [];
  await train({
    runId: 'h',
    model: workload.model,
    data: {
      ...workload.data,
      train: first(workload.data.train, 32),
      ...(workload.data.validation ? { validation: first(workload.data.validation, 8) } : {}),
    },
    backend: 'cpu',
    control: new RunControl(),
    // The probe every 2nd epoch: epochs 1 and 3 read activations by themselves, 2 from the probe's pass.
    config: TrainingConfigSchema.parse({
      ...workload.config,
      epochs: 3,
      batchSize: 16,
      probe: { everyEpochs: 2 },
      earlyStopping: { patience: 0 },
    }),
    hooks: {
      emit: (e) => {
        events.push(e);
        if (e.type === 'histogram') live.push(tf.memory().numTensors);
      },
      saveCheckpoint: () => 'memory',
    },
  });
  const weights = workload.model.weights.map((w) => ({ name: w.name, node: w.node, size: w.variable.size }));
  workload.model.dispose();
  const histograms = events.filter((e): e is HistogramEvent => e.type === 'histogram');
  return { histograms, weights, graph: doc.graph, live, events };
}

describe('histograms of a template run', () => {
  for (const template of ['sentiment', 'date-translation']) {
    it(`${template}: every weight tensor and every layer's output, each epoch`, async () => {
      const { histograms, weights, graph, live, events } = await histogramsOf(template);
      // From the second snapshot on (the first epoch's end also creates what the run keeps, e.g. a
      // seq2seq model's lazily built tensors), a snapshot with the probe and one without leave nothing.
      expect(live[2]).toBe(live[1]);
      expect(histograms.map((h) => h.epoch)).toEqual([1, 2, 3]);
      expect(events.filter((e) => e.type === 'probe').map((e) => e.epoch)).toEqual([2]);
      const blocks = graph.nodes.filter((n) => n.kind !== 'input').map((n) => n.id);
      for (const h of histograms) {
        expect(TelemetryEventSchema.safeParse(h).success).toBe(true);
        expect(h.weights.map((w) => w.weight)).toEqual(weights.map((w) => w.name));
        for (const w of h.weights) {
          const size = weights.find((x) => x.name === w.weight)!.size;
          expect(w.histogram.count, w.weight).toBe(size);
          expect(
            w.histogram.counts.reduce((a, b) => a + b, 0),
            w.weight,
          ).toBe(size);
          expect(w.layer).toBe(weights.find((x) => x.name === w.weight)!.node);
        }
        expect(h.activations.map((a) => a.layer).sort()).toEqual([...blocks].sort());
        for (const a of h.activations) {
          expect(a.histogram.count, a.layer).toBeGreaterThan(0);
          expect(a.histogram.nan + a.histogram.infinite, a.layer).toBe(0);
        }
      }
      // The same example both epochs: the activations count the same real positions.
      const counts = (h: HistogramEvent) => h.activations.map((a) => [a.layer, a.histogram.count]);
      expect(counts(histograms[1]!)).toEqual(counts(histograms[0]!));
    }, 120_000);
  }
});
