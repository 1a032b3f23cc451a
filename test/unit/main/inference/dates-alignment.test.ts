// The date-translation template's attention aligns source and target digits. The
// template's own graph and optimizer, trained through the studio's path on the wasm backend with a short
// budget (10,000 generated dates, 3 epochs: 750 steps, about 45 s of CPU; 5,000 dates x 5 epochs left
// the bidirectional encoder undertrained, 4 of 60 probes wrong), then the playground's predictor
// translates the 60 probes (three dates in all twenty formats) greedily and returns its attention rows;
// each of the 8 target digits must put its attention peak inside its own field (year, month or day) in the
// source — the definition of scripts/verify/seq2seq-alignment.ts. The 90% target (ALIGNMENT_TARGET) and
// >= 99% exact match on held-out dates are the full-size run's, scripts/verify/seq2seq-dates.ts. At this
// short budget the share depends on the seed and on float rounding: 12 runs (seeds 1–3, with and without
// the engine's own product kernel, 3–4 epochs, 10,000–20,000 dates) gave 84.0–94.8% aligned and 0–5 of
// the 60 probes wrong, against 34.6% for the untrained model. So this test asks for what every one of
// those runs showed, with a margin: >= 75% aligned and at most 6 probes wrong. A model that has not
// learnt to align (the untrained one) fails it.
import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingConfigSchema } from '../../../../core/training/config.js';
import { selectBackend } from '../../../../main/engine/backend.js';
import { loadTemplate } from '../../../../main/project/templates.js';
import { release } from '../../../../scripts/verify/engine-shared.js';
import {
  describeAlignment,
  missesByFormat,
  scoreAlignment,
} from '../../../../scripts/verify/seq2seq-alignment.js';
import {
  buildSeq2SeqRun,
  trainKeepingBest,
  translate,
  translator,
  weightValues,
} from '../../../../scripts/verify/seq2seq-studio.js';

/** The share of digit peaks in their own field this short run must reach (see above; full size: 90%). */
const BRIEF_TARGET = 0.75; // scripts/verify/seq2seq-alignment.ts's ALIGNMENT_TARGET is 0.9

const resourcesDir = fileURLToPath(new URL('../../../../resources', import.meta.url));

beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('date-translation template: attention alignment', () => {
  it(
    'an untrained model fails the check; ' +
      'the template trained briefly puts >= 75% of digit peaks on their own field',
    async () => {
      const { template } = await loadTemplate(resourcesDir, 'date-translation');
      const doc = structuredClone(template.project);
      const source = doc.dataset!.source;
      if (source.kind !== 'generator')
        throw new Error('the date-translation template no longer generates its data');
      // The graph and the optimizer as published; a smaller dataset
      // and 3 epochs keep the test under a minute.
      doc.dataset = { ...doc.dataset!, source: { ...source, params: { count: 10000 } } };
      doc.training = TrainingConfigSchema.parse({ ...doc.training, epochs: 3, probe: { everyEpochs: 0 } });
      const run = await buildSeq2SeqRun(doc);

      // The check can fail: attention of a model that has learnt nothing does not find the fields.
      const untrained = await scoreAlignment((s) => translate(translator(run, weightValues(run.model)), s));
      console.log(`untrained: ${describeAlignment(untrained)}`);
      expect(untrained.aligned / untrained.steps).toBeLessThan(BRIEF_TARGET);

      const started = process.cpuUsage();
      const { end, weights } = await trainKeepingBest(run, 'wasm', () => false);
      const cpu = process.cpuUsage(started);
      expect(end.status).toBe('completed');
      const predictor = translator(run, weights);
      const trained = await scoreAlignment((s) => translate(predictor, s));
      const first = trained.probes[0]!;
      console.log(
        `trained ${end.epochs} epochs (${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU): ` +
          `${describeAlignment(trained)}; misses by format: ${missesByFormat(trained)}; ` +
          `probe "${first.source}" -> ${first.output}, ` +
          `peaks ${first.peaks.map((i) => `${i}(${first.source[i] ?? '-'})`).join(' ')}`,
      );
      release(run.model);
      // Rows of a wrong output would not belong to the target's digits: most probes must come out right.
      expect(trained.wrongOutputs).toBeLessThanOrEqual(6);
      expect(trained.aligned / trained.steps).toBeGreaterThanOrEqual(BRIEF_TARGET);
    },
    // A guard against a hang, not a speed check: about 45 s of CPU, but a loaded 2-core machine has
    // stretched it past 250 s of wall time.
    900_000,
  );
});
