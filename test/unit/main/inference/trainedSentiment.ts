// A trained project for the tests of prediction, evaluation and bulk prediction: a template with one
// completed run whose checkpoint holds seeded random weights (a real, non-trivial model, made in
// milliseconds instead of minutes of training).
import { dataFactsOf } from '../../../../core/project/index.js';
import { encodeCheckpoint } from '../../../../core/training/checkpoint.js';
import { defaultTrainingConfig } from '../../../../core/training/config.js';
import { planModel } from '../../../../main/export/plan.js';
import { randomWeights } from '../../../../main/export/weights.js';
import { loadTrainedProject } from '../../../../main/inference/trainedProject.js';
import { readProjectFile, writeProjectFile } from '../../../../main/project/index.js';
import { cli } from '../cli/cliRun.js';

/** The sentiment template with a run whose checkpoint holds seeded random weights (not a trivial model). */
export function trainedSentiment(file: string): Promise<string> {
  return trainedTemplate(file, 'sentiment');
}

/**
 * A new project from `template` written to `file`, with a run whose checkpoint holds random weights from
 * `seed`; `maxLength` caps the dataset's sequence length (a shorter model input).
 */
export async function trainedTemplate(
  file: string,
  template: string,
  options: { seed?: number; maxLength?: number } = {},
): Promise<string> {
  const { code, err } = await cli('new', template, file);
  if (code !== 0) throw new Error(`rnn-studio new ${template} failed: ${err}`);
  const project = await readProjectFile(file);
  if (options.maxLength !== undefined)
    project.doc = { ...project.doc, dataset: { ...project.doc.dataset!, maxLength: options.maxLength } };
  const files = {
    readEntry: (n: string) => project.entries.get(n),
    listEntries: (p: string) => [...project.entries.keys()].filter((k) => k.startsWith(p)),
    path: file,
  };
  const trained = await loadTrainedProject(project.doc, files);
  const plan = planModel(trained.doc.graph, dataFactsOf(trained.doc));
  const weights = randomWeights(plan, options.seed ?? 7, 0.5);
  const checkpoint = encodeCheckpoint({
    format: 1,
    runId: 'run1',
    config: defaultTrainingConfig(),
    epoch: 1,
    batchInEpoch: 0,
    step: 1,
    randomAtEpochStart: 0,
    weights: Object.entries(weights).map(([name, w]) => ({ name, shape: w.shape, data: w.data })),
    optimizer: { kind: 'adam', step: 1, slots: [] } as never,
    plateau: { scale: 1, best: null, badEpochs: 0 },
    tracker: { bestValue: null, bestEpoch: 0, badEpochs: 0 },
    partial: { lossSum: 0, count: 0, metricSums: {}, tokens: 0 },
  });
  project.doc = {
    ...project.doc,
    runs: [
      {
        id: 'run1',
        name: 'run1',
        startedAt: '2026-01-01',
        status: 'completed',
        epochs: 1,
        best: {},
        final: {},
        checkpoint: 'checkpoints/run1/latest.ckpt',
        note: '',
        tags: [],
      },
    ],
  };
  project.entries.set('checkpoints/run1/latest.ckpt', checkpoint);
  await writeProjectFile(file, project);
  return file;
}
