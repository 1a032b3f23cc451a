// A trained sentiment project for the tests of evaluation and bulk prediction: the sentiment template
// with one completed run whose checkpoint holds seeded random weights (a real, non-trivial model, made in
// milliseconds instead of minutes of training).
import { dataFactsOf } from '../../../../core/project/index.js';
import { encodeCheckpoint } from '../../../../core/training/checkpoint.js';
import { defaultTrainingConfig } from '../../../../core/training/config.js';
import { runCli } from '../../../../main/cli/program.js';
import { planModel } from '../../../../main/export/plan.js';
import { randomWeights } from '../../../../main/export/weights.js';
import { loadTrainedProject } from '../../../../main/inference/trainedProject.js';
import { readProjectFile, writeProjectFile } from '../../../../main/project/index.js';

/** The sentiment template with a run whose checkpoint holds seeded random weights (not a trivial model). */
export async function trainedSentiment(file: string): Promise<string> {
  let err = '';
  const code = await runCli(['new', 'sentiment', file], {
    out: () => {},
    err: (t) => (err += t),
    isTTY: false,
  });
  if (code !== 0) throw new Error(`rnn-studio new sentiment failed: ${err}`);
  const project = await readProjectFile(file);
  const files = {
    readEntry: (n: string) => project.entries.get(n),
    listEntries: (p: string) => [...project.entries.keys()].filter((k) => k.startsWith(p)),
    path: file,
  };
  const trained = await loadTrainedProject(project.doc, files);
  const weights = randomWeights(planModel(trained.doc.graph, dataFactsOf(trained.doc)), 7, 0.5);
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
