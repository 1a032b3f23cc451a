// Verify: the date-translation template — twenty human date formats -> ISO dates — reaches >= 99%
// exact match on held-out dates with greedy decoding, and its attention aligns source and target digits:
// each target digit's attention peak lies on the source field (year, month, day) that holds it, on >= 90%
// of the digits of 60 probes (three dates in all twenty formats; definition in seq2seq-alignment.ts, fixed
// before any run). Measured on what a user gets: the template as published (resources/templates/
// date-translation.json: graph, generator, training settings) trained through the studio's path
// (seq2seq-studio.ts), the weights its project keeps (best epoch), and translations and attention rows
// from the playground's predictor (main/inference/predictor). Held out = the dataset's test split minus
// every source that also occurs in the training split. Prints the figures; exits 1 when a target is missed.
//   npx tsx scripts/verify/seq2seq-dates.ts [--epochs N (default: the template's)]
//     [--resources DIR (default resources)] [--workers auto|N (default: the template's setting, auto)]
// --resources reads templates/date-translation.json from another folder (to measure a candidate setting).
import { TrainingConfigSchema } from '../../core/training/config.js';
import { loadTemplate } from '../../main/project/templates.js';
import { release, startClock, useBackend, workersOverride } from './engine-shared.js';
import { ALIGNMENT_TARGET, describeAlignment, missesByFormat, scoreAlignment } from './seq2seq-alignment.js';
import {
  buildSeq2SeqRun,
  exactMatch,
  trainKeepingBest,
  translate,
  translator,
  weightValues,
} from './seq2seq-studio.js';

const EXACT_TARGET = 0.99;
const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
};
const epochs = option('--epochs');
if (epochs !== undefined && !(Number.isInteger(Number(epochs)) && Number(epochs) > 0))
  throw new Error(`--epochs needs a whole number above 0 (got ${epochs})`);

const backend = await useBackend();
const { template } = await loadTemplate(option('--resources') ?? 'resources', 'date-translation');
const doc = structuredClone(template.project);
// As published, except probing (a forward/backward pass per epoch the figures do not need) and --epochs.
doc.training = TrainingConfigSchema.parse({
  ...doc.training,
  probe: { everyEpochs: 0 },
  ...(epochs ? { epochs: Number(epochs) } : {}),
  ...workersOverride(),
});
const run = await buildSeq2SeqRun(doc);
const t = doc.training;
const enc = doc.graph.nodes.find((n) => n.kind === 'encoder')!.params;
const att = doc.graph.nodes.find((n) => n.kind === 'attention')!.params;
console.log(
  `dates on ${backend.description}: template date-translation ` +
    `(${JSON.stringify(doc.dataset?.source.kind === 'generator' ? doc.dataset.source.params : {})}; ` +
    `encoder ${JSON.stringify(enc)}, attention ${JSON.stringify(att)}), ` +
    `${run.data.train.size} train / ${run.data.validation?.size ?? 0} validation / ` +
    `${run.test.size} test dates, ${run.heldOut.length} test dates never in training; ` +
    `${t.epochs} epochs, batch ${t.batchSize}, ` +
    `${t.optimizer.kind} lr ${t.optimizer.learningRate} (${t.schedule.kind}), ` +
    `clipping ${t.clipping.kind} ${t.clipping.value}`,
);

// The untrained model: a chance-level alignment figure, and the translation path checked before the long run.
const untrained = translator(run, weightValues(run.model));
console.log(`untrained: ${describeAlignment(await scoreAlignment((s) => translate(untrained, s)))}`);

const clock = startClock();
const { end, weights, bestEpoch } = await trainKeepingBest(run, backend.name, (e) => {
  console.log(
    `  epoch ${e.epoch} (step ${e.step}): train loss ${e.trainLoss?.toFixed(4)}, ` +
      `validation loss ${e.validationLoss?.toFixed(4)} (${clock.text()})`,
  );
  return false;
});
console.log(
  `trained ${end.epochs} epochs, ${end.steps} steps in ${clock.text()} (run ${end.status}); ` +
    `weights kept: ${bestEpoch !== null ? `best epoch ${bestEpoch}` : 'last'}`,
);

const predictor = translator(run, weights);
const decodeClock = startClock();
const em = await exactMatch(predictor, run.heldOut);
const exact = em.exact / em.total;
console.log(
  `held-out exact match (greedy, playground predictor): ` +
    `${em.exact}/${em.total} = ${(100 * exact).toFixed(2)}% (target >= ${100 * EXACT_TARGET}%) ` +
    `in ${decodeClock.text()}`,
);
for (const w of em.wrong) console.log(`  wrong: ${w}`);

const alignment = await scoreAlignment((s) => translate(predictor, s));
// Where each digit looks: the first probe date in every format, and every probe with a miss.
for (const p of alignment.probes.filter((q, i) => i % 3 === 0 || q.aligned < 8)) {
  console.log(
    `  format ${p.format + 1} "${p.source}" -> ${p.output}: ` +
      `peaks ${p.peaks.map((i) => `${i}(${p.source[i] ?? '-'})`).join(' ')} (${p.aligned}/8)`,
  );
}
const share = alignment.aligned / alignment.steps;
console.log(describeAlignment(alignment));
console.log(`misses by format: ${missesByFormat(alignment)}`);
console.log(
  `${exact >= EXACT_TARGET ? 'PASS' : 'FAIL'} exact match, ` +
    `${share >= ALIGNMENT_TARGET ? 'PASS' : 'FAIL'} alignment`,
);
release(run.model);
process.exitCode = exact >= EXACT_TARGET && share >= ALIGNMENT_TARGET ? 0 : 1;
