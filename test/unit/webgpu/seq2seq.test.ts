// Sequence to sequence on webgpu (here: SwiftShader): a tiny encoder–decoder with attention, drawn as the
// templates draw it, trains two steps with the same losses as on wasm (within 1e-4), with one readback
// per step; with scheduled sampling (teacher forcing < 1) too. Two variants: the date-translation
// template's (bidirectional LSTM encoder, LSTM decoder, additive attention) and the bench's s2s-attn (GRU,
// Luong dot attention). The source batch is padded, so the encoder and attention masks are exercised.
// And the playground's translator (main/inference/predictor.ts: greedy decoding, attention rows) on the
// date-translation template's own graph gives the same translation on webgpu as on wasm, with one read per
// decoding step.
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { BackendChoice } from '../../../core/api/backends.js';
import type { Batch } from '../../../core/data/batch.js';
import { compileGraph } from '../../../core/engine/compile.js';
import { encoderDecoderGraph } from '../../../core/graph/build.js';
import type { Graph } from '../../../core/graph/types.js';
import { trainBatch } from '../../../core/training/step.js';
import { selectBackend } from '../../../main/engine/backend.js';
import { benchClipping, benchOptimizer } from '../../../main/engine/bench/ours.js';
import { countDeviceWork, countedWork } from '../../../main/engine/counters.js';
import { createPredictor } from '../../../main/inference/predictor.js';
import type { TranslationResult } from '../../../main/inference/results.js';
import { loadTemplate } from '../../../main/project/templates.js';
import { release } from '../../../scripts/verify/engine-shared.js';
import { buildSeq2SeqRun, weightValues } from '../../../scripts/verify/seq2seq-studio.js';
import { gpu } from './gpuSetup.js';

export interface Seq2seqVariant {
  name: string;
  cell: 'lstm' | 'gru';
  bidirectional: boolean;
  score: 'additive' | 'dot';
  teacherForcing: number;
}

const V = 7;
const H = 4;

/** The templates' encoder–decoder graph: [decoder; context] → tanh dense → softmax head. */
export function seq2seqGraph(v: Seq2seqVariant): Graph {
  const layer = { kind: v.cell, params: { units: H } };
  // Dot attention needs the query as wide as the memory: a bidirectional encoder's is 2H.
  const decoderLayer = { kind: v.cell, params: { units: v.bidirectional ? 2 * H : H } };
  return encoderDecoderGraph({
    vocabulary: V,
    dimension: 3,
    encoder: { layer, bidirectional: v.bidirectional },
    decoder: { layer: decoderLayer, teacherForcing: v.teacherForcing },
    attention: { score: v.score, ...(v.score === 'additive' ? { units: 5 } : {}) },
    combine: H,
  });
}

const ints = (shape: number[], data: number[]) => ({
  dtype: 'int32' as const,
  shape,
  data: Int32Array.from(data),
});
const floats = (shape: number[], data: number[]) => ({
  dtype: 'float32' as const,
  shape,
  data: Float32Array.from(data),
});

/** Two sources of 4 and 2 real tokens (the second padded), targets of 3 and 2. */
export const SEQ2SEQ_BATCH: Batch = {
  source: ints([2, 4], [3, 5, 2, 6, 4, 1, 0, 0]),
  sourceMask: floats([2, 4], [1, 1, 1, 1, 1, 1, 0, 0]),
  targetIn: ints([2, 3], [1, 4, 6, 1, 2, 0]),
  targetOut: ints([2, 3], [4, 6, 2, 2, 2, 0]),
  targetMask: floats([2, 3], [1, 1, 1, 1, 1, 0]),
};

/** Two training steps from the same seeded weights: their losses and the readbacks of each step. */
async function twoSteps(backend: BackendChoice, v: Seq2seqVariant) {
  await selectBackend(backend);
  countDeviceWork();
  const model = compileGraph(seq2seqGraph(v), { task: 'seq2seq', seed: 3 });
  const optimizer = benchOptimizer();
  const steps: { loss: number; readbacks: number; dispatches: number }[] = [];
  for (let i = 0; i < 2; i++) {
    const random = (() => {
      let s = 11 + i;
      return () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
    })();
    const r = await countedWork(() =>
      trainBatch(model, SEQ2SEQ_BATCH, optimizer, 1e-2, benchClipping, 0, random),
    );
    if (r.value.nonFinite) throw new Error(`step ${i + 1} on ${backend}: not finite`);
    steps.push({ loss: r.value.loss, readbacks: r.readbacks, dispatches: r.dispatches });
  }
  optimizer.dispose();
  model.dispose();
  return steps;
}

const VARIANTS: Seq2seqVariant[] = [
  {
    name: 'bidirectional LSTM, additive attention',
    cell: 'lstm',
    bidirectional: true,
    score: 'additive',
    teacherForcing: 1,
  },
  {
    name: 'GRU, dot attention, scheduled sampling',
    cell: 'gru',
    bidirectional: false,
    score: 'dot',
    teacherForcing: 0.5,
  },
];

describe.each(VARIANTS)('sequence to sequence on webgpu: $name', (v) => {
  it.skipIf(!gpu.ready)(
    `trains two steps with wasm's losses, one readback a step ${gpu.reason}`,
    async () => {
      const reference = await twoSteps('wasm', v);
      const onGpu = await twoSteps('webgpu', v);
      onGpu.forEach((step, i) => {
        const ref = reference[i]!.loss;
        expect(Math.abs(step.loss - ref), `step ${i + 1}: ${step.loss} vs ${ref}`).toBeLessThan(1e-4);
        expect(step.readbacks, `step ${i + 1}`).toBe(1);
      });
      console.log(
        `seq2seq (${v.name}) B2 S4 T3 H${H} on webgpu: ` +
          `${onGpu.map((s) => s.dispatches).join(', ')} dispatches, ` +
          `${onGpu.map((s) => s.readbacks).join(', ')} readbacks per step`,
      );
      expect(tf.getBackend()).toBe('webgpu');
    },
    300_000,
  );
});

const resourcesDir = fileURLToPath(new URL('../../../resources', import.meta.url));

describe('greedy decoding on webgpu', () => {
  it.skipIf(!gpu.ready)(
    `translates a date as on wasm: tokens, probabilities and attention, one read a step ${gpu.reason}`,
    async () => {
      await selectBackend('wasm');
      const { template } = await loadTemplate(resourcesDir, 'date-translation');
      const doc = structuredClone(template.project);
      const source = doc.dataset!.source;
      if (source.kind !== 'generator') throw new Error('the date-translation template generates its data');
      // Outputs of at most 3 tokens: on the emulator every new prefix length compiles new shaders.
      doc.dataset = { ...doc.dataset!, maxLength: 3, source: { ...source, params: { count: 200 } } };
      const run = await buildSeq2SeqRun(doc);
      // The template's seeded initial weights: an untrained model still decodes (to a wrong date).
      const weights = weightValues(run.model);
      release(run.model);
      const translate = async (backend: BackendChoice) => {
        await selectBackend(backend);
        countDeviceWork();
        const predictor = createPredictor(run.trained, weights);
        try {
          const r = await countedWork(() => predictor.predict('3rd of March 1998', { beamWidth: 1 }));
          return { ...r, value: r.value as TranslationResult };
        } finally {
          predictor.dispose();
        }
      };
      const reference = (await translate('wasm')).value;
      const onGpu = await translate('webgpu');
      const got = onGpu.value;
      expect(got.tokens.length).toBeGreaterThan(0);
      expect(got.output).toBe(reference.output);
      expect(got.tokens.map((t) => t.token)).toEqual(reference.tokens.map((t) => t.token));
      got.tokens.forEach((t, i) =>
        expect(Math.abs(t.probability - reference.tokens[i]!.probability), `token ${i}`).toBeLessThan(1e-4),
      );
      expect(got.attention).toHaveLength(got.tokens.length);
      got.attention!.forEach((row, i) =>
        row.forEach((w, j) =>
          expect(Math.abs(w - reference.attention![i]![j]!), `attention ${i},${j}`).toBeLessThan(1e-4),
        ),
      );
      // One model run per decoding step (the last one on the end token unless cut off at the maximum
      // length), plus the run that reads the chosen tokens' probabilities and attention: one read each.
      const steps = got.tokens.length;
      expect(onGpu.readbacks).toBeGreaterThanOrEqual(steps + 1);
      expect(onGpu.readbacks).toBeLessThanOrEqual(steps + 2);
      console.log(
        `greedy decoding on webgpu: "${got.output}" (${steps} tokens), ` +
          `${onGpu.readbacks} reads, ${onGpu.dispatches} dispatches`,
      );
    },
    300_000,
  );
});
