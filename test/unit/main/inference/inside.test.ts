// Inside the model for a typed input (the playground's gate view): the trained model's inference pass
// gives every recurrent layer's gates and hidden states per step. Checked against an LSTM written out
// here from its equations (Keras layout), against the training probe's path for the same tokens, and for
// seq2seq, each block's time axis labelled with what it reads.
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../../../core/data/tokenizers/index.js';
import { compileGraph } from '../../../../core/engine/compile.js';
import { dataFactsOf, type ProjectDoc } from '../../../../core/project/index.js';
import { runProbe } from '../../../../core/training/probe.js';
import { planModel } from '../../../../main/export/plan.js';
import { randomWeights, type WeightValues } from '../../../../main/export/weights.js';
import { resourcesDir } from '../../../../main/host/appInfo.js';
import { ensureBackend } from '../../../../main/inference/backend.js';
import { createPredictor, InferenceError } from '../../../../main/inference/predictor.js';
import { filesOf } from '../../../../main/inference/service.js';
import { loadTrainedProject } from '../../../../main/inference/trainedProject.js';
import { ProjectStore } from '../../../../main/project/index.js';

let store: ProjectStore;
beforeAll(async () => {
  await ensureBackend();
  store = new ProjectStore({
    dataDir: join(mkdtempSync(join(tmpdir(), 'rnn-inside-')), 'data'),
    resourcesDir,
    autosaveMs: 0,
  });
  await store.init();
});
afterAll(() => store.dispose());

/** A template as trained (vocabulary built from its data) with seeded random weights. */
async function trained(template: string): Promise<{ doc: ProjectDoc; weights: WeightValues }> {
  const { projectId } = await store.create(template);
  const project = await loadTrainedProject(store.doc(projectId), filesOf(store, projectId));
  const weights = randomWeights(planModel(project.doc.graph, dataFactsOf(project.doc)), 7, 0.5);
  return { doc: project.doc, weights };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** One LSTM layer from its equations: Keras layout, gates i, f, c (= g), o along the last axis. */
function referenceLstm(x: number[][], w: WeightValues, prefix: string, units: number) {
  const kernel = w[`${prefix}/kernel`]!.data;
  const recurrent = w[`${prefix}/recurrent_kernel`]!.data;
  const bias = w[`${prefix}/bias`]!.data;
  const G = 4 * units;
  let h = new Array<number>(units).fill(0);
  let c = new Array<number>(units).fill(0);
  const gates: Record<string, number[][]> = { input: [], forget: [], cell: [], output: [] };
  const hidden: number[][] = [];
  for (const step of x) {
    const z = Array.from({ length: G }, (_, j) => {
      let sum = bias[j]!;
      step.forEach((v, k) => (sum += v * kernel[k * G + j]!));
      h.forEach((v, k) => (sum += v * recurrent[k * G + j]!));
      return sum;
    });
    const i = z.slice(0, units).map(sigmoid);
    const f = z.slice(units, 2 * units).map(sigmoid);
    const g = z.slice(2 * units, 3 * units).map(Math.tanh);
    const o = z.slice(3 * units).map(sigmoid);
    c = c.map((cu, u) => f[u]! * cu + i[u]! * g[u]!);
    h = c.map((cu, u) => o[u]! * Math.tanh(cu));
    for (const [name, v] of [
      ['input', i],
      ['forget', f],
      ['cell', g],
      ['output', o],
    ] as const)
      gates[name]!.push(v);
    hidden.push(h);
  }
  // time × units → units × time, as the view shows them.
  const transpose = (m: number[][]) => Array.from({ length: units }, (_, u) => m.map((row) => row[u]!));
  return {
    hidden: transpose(hidden),
    gates: Object.fromEntries(Object.entries(gates).map(([k, m]) => [k, transpose(m)])),
  };
}

function expectClose(actual: number[][], expected: number[][], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  actual.forEach((row, u) => {
    expect(row.length).toBe(expected[u]!.length);
    row.forEach((v, t) => (worst = Math.max(worst, Math.abs(v - expected[u]![t]!))));
  });
  expect(worst).toBeLessThanOrEqual(tolerance);
}

describe('inside the model for a typed input', () => {
  it('an LSTM on typed numbers: gates and hidden states equal the LSTM equations step by step', async () => {
    const { doc, weights } = await trained('adding-problem');
    const predictor = createPredictor(doc, weights);
    const steps = [
      [0.5, 1],
      [0.2, 0],
      [0.9, 1],
      [0.1, 0],
      [0.7, 0],
    ];
    const result = await predictor.inside(JSON.stringify(steps));
    predictor.dispose();
    expect(result.layers.map((l) => l.layer)).toEqual(['lstm']);
    const [lstm] = result.layers;
    expect(lstm).toMatchObject({ node: 'lstm', units: 32, steps: ['#1', '#2', '#3', '#4', '#5'] });
    expect(lstm!.gates.map((g) => g.gate)).toEqual(['input', 'forget', 'cell', 'output']);
    const reference = referenceLstm(steps, weights, 'lstm', 32);
    // Values are sent rounded to 4 decimals.
    expectClose(lstm!.hidden, reference.hidden, 6e-5);
    for (const gate of lstm!.gates) expectClose(gate.values, reference.gates[gate.gate]!, 6e-5);
  });

  it('typed text: the same numbers the training probe shows for the same tokens', async () => {
    const { doc, weights } = await trained('sentiment');
    const text = 'a wonderful film , truly great';
    const predictor = createPredictor(doc, weights);
    const result = await predictor.inside(text);
    predictor.dispose();

    const tokenizer = loadTokenizer(doc.dataset!.tokenizer, doc.dataset!.vocabulary!);
    const ids = tokenizer.encode(text);
    const model = compileGraph(doc.graph, {
      task: doc.task,
      data: dataFactsOf(doc),
      anonymousVariables: true,
    });
    model.setWeights(weights);
    // The probe runs the training forward pass, which also reads a label (any: the loss is not compared).
    const source = {
      size: 1,
      batch: () => ({
        labels: { dtype: 'int32' as const, shape: [1], data: Int32Array.from([0]) },
        tokens: { dtype: 'int32' as const, shape: [1, ids.length], data: Int32Array.from(ids) },
        mask: {
          dtype: 'float32' as const,
          shape: [1, ids.length],
          data: new Float32Array(ids.length).fill(1),
        },
      }),
    };
    const probe = await runProbe(model, source, 0, 'train');
    model.dispose();

    expect(result.layers.map((l) => l.layer).sort()).toEqual(['bilstm', 'bilstm/backward']);
    for (const layer of result.layers) {
      expect(layer.steps).toEqual(tokenizer.tokenize(text).map((k) => tokenizer.display(k)));
      expect(layer.hidden).toEqual(probe.hiddenStates.find((h) => h.layer === layer.layer)!.values);
      for (const gate of layer.gates)
        expect(gate.values).toEqual(
          probe.gates.find((g) => g.layer === layer.layer && g.gate === gate.gate)!.values,
        );
      expect(layer.hidden[0]).toHaveLength(ids.length);
    }
  });

  it(
    'translation: the encoder is labelled with the source, ' + 'the decoder with the output it read',
    async () => {
      const { doc, weights } = await trained('date-translation');
      const predictor = createPredictor(doc, weights);
      const translation = await predictor.predict('March 7, 2021');
      const result = await predictor.inside('March 7, 2021');
      predictor.dispose();
      if (translation.task !== 'seq2seq') throw new Error('a translation');
      const encoder = result.layers.find((l) => l.node === 'encoder')!;
      const decoder = result.layers.find((l) => l.node === 'decoder')!;
      expect(encoder.steps).toEqual(translation.source);
      expect(encoder.hidden[0]).toHaveLength(translation.source.length);
      expect(decoder.steps.slice(1)).toEqual(translation.tokens.map((t) => t.token));
      expect(decoder.hidden[0]).toHaveLength(translation.tokens.length + 1);
    },
  );

  it('says what is wrong with an input it cannot read', async () => {
    const { doc, weights } = await trained('adding-problem');
    const predictor = createPredictor(doc, weights);
    await expect(predictor.inside('[[1, 2, 3]]')).rejects.toThrow(InferenceError);
    await expect(predictor.inside('[[1, 2, 3]]')).rejects.toThrow('This model reads 2 number(s) per step');
    predictor.dispose();
  });
});
