// Training sized to the user's data. A recurrent model needs a number of optimizer steps more than a
// number of epochs: a character LM on a 45 KB text trained for 5 epochs at batch 16 makes 65 steps and
// ends no better than counting characters (validation perplexity 31.7 against a unigram 30.6), while the
// same run at 720 steps reaches 13.8. So an import sets the epochs to reach a step budget per task (many
// epochs on a small file, few on a large one), turns early stopping on validation loss on with a patience
// that suits that many epochs (the best checkpoint is kept), and sizes the validation split so a small
// file keeps enough to train on and a large one does not spend 10% of itself on validation. Before a
// run starts, the studio and the CLI warn when it is far shorter than the budget, with the fix.
import type { DatasetSpec, Split, TaskId } from '../data/spec.js';
import type { TrainingConfig } from './config.js';

/**
 * Optimizer steps a run of each task usually needs to get well past its baseline. Language model: a
 * character LM (batch 16 × 200 characters) reached validation perplexity 10.8, 5.2 and 7.1 (unigram 23.8,
 * 23.6, 29.5) on three 35–77 KB English texts within 600 steps (GPL-3 was best at step 342, then overfit);
 * a step costs the same whatever the text's size, so the budget also bounds the run's time
 * (scripts/verify/data-own-text.ts).
 */
export const STEP_BUDGET: Record<TaskId, number> = {
  'language-model': 600,
  classification: 1000,
  regression: 1000,
  tagging: 1000,
  seq2seq: 3000,
};

/** A run below this fraction of the budget is called short before it starts. */
export const SHORT_RUN_FRACTION = 0.25;
const MIN_EPOCHS = 2;
const MAX_EPOCHS = 500;

/** What the task is, in the warning: "a character language model". */
function kindOf(task: TaskId, tokenizer?: string): string {
  switch (task) {
    case 'language-model':
      return tokenizer === 'character' ? 'a character language model' : 'a language model';
    case 'classification':
      return 'a classifier';
    case 'regression':
      return 'a regression model';
    case 'tagging':
      return 'a tagger';
    case 'seq2seq':
      return 'a sequence-to-sequence model';
  }
}

/**
 * The validation and test fractions for a dataset of `examples`: a fifth for validation and no test
 * split below 200 examples (every example counts), 10% each up to 50,000, then a fixed 5,000 each.
 */
export function splitFor(examples: number, seed = 1): Split {
  if (examples < 200) return { validation: 0.2, test: 0, seed };
  if (examples <= 50_000) return { validation: 0.1, test: 0.1, seed };
  const f = Math.max(0.005, Math.round((5000 / examples) * 1000) / 1000);
  return { validation: f, test: f, seed };
}

/** Training examples after the split. */
export function trainingExamples(examples: number, split: Pick<Split, 'validation' | 'test'>): number {
  const held = Math.round(examples * split.validation) + Math.round(examples * split.test);
  return Math.max(1, examples - held);
}

export const stepsPerEpoch = (trainExamples: number, batchSize: number) =>
  Math.max(1, Math.ceil(trainExamples / batchSize));

export interface SizedTraining {
  epochs: number;
  patience: number;
  /** Optimizer steps the sized run makes at most. */
  steps: number;
  stepsPerEpoch: number;
}

/** Epochs to reach the task's step budget, and an early-stopping patience that suits them. */
export function sizeTraining(task: TaskId, trainExamples: number, batchSize: number): SizedTraining {
  const perEpoch = stepsPerEpoch(trainExamples, batchSize);
  const epochs = Math.min(MAX_EPOCHS, Math.max(MIN_EPOCHS, Math.ceil(STEP_BUDGET[task] / perEpoch)));
  // About a tenth of the run without a better validation loss, at least 3 epochs, at most 6: on a small
  // text a character LM overfits within a few epochs of its best (GPL-3, 35 KB: best at epoch 38 of 112,
  // and 10 more epochs of patience were a fifth of the wall time).
  const patience = Math.min(6, Math.max(3, Math.round(epochs / 10)));
  return { epochs, patience, steps: epochs * perEpoch, stepsPerEpoch: perEpoch };
}

/** The training settings an import of `examples` examples gives the project (the rest stays as it was). */
export function trainingForData(
  task: TaskId,
  examples: number,
  split: Split,
  training: TrainingConfig,
): TrainingConfig {
  const sized = sizeTraining(task, trainingExamples(examples, split), training.batchSize);
  // Many short epochs: probe (gradient through time, gates) and write the latest checkpoint about 20
  // times a run rather than every epoch; the best checkpoint is still kept whenever validation improves.
  const every = Math.max(1, Math.round(sized.epochs / 20));
  return {
    ...training,
    epochs: sized.epochs,
    earlyStopping: { ...training.earlyStopping, metric: 'validation.loss', patience: sized.patience },
    saveBest: true,
    probe: { ...training.probe, everyEpochs: training.probe.everyEpochs === 0 ? 0 : every },
    checkpointEveryEpochs: every,
  };
}

export interface RunLengthAdvice {
  /** What is short, in the user's words. */
  message: string;
  steps: number;
  needed: number;
  /** The fix: train for this many epochs (with this early-stopping patience). */
  epochs: number;
  patience: number;
}

/**
 * Whether a run of `training` on `dataset` is far shorter than that kind of model usually needs; null
 * when it is long enough or the dataset's size is not known (generated data: the templates' own runs).
 */
export function runLengthAdvice(
  task: TaskId,
  dataset: DatasetSpec | undefined,
  training: TrainingConfig,
): RunLengthAdvice | null {
  const examples = dataset?.examples;
  if (!dataset || examples === undefined) return null;
  const train = trainingExamples(examples, dataset.split);
  const perEpoch = stepsPerEpoch(train, training.batchSize);
  const steps = perEpoch * training.epochs;
  const needed = STEP_BUDGET[task];
  if (steps >= needed * SHORT_RUN_FRACTION) return null;
  const fix = sizeTraining(task, train, training.batchSize);
  return {
    message:
      `This run makes ${steps} optimizer step${steps === 1 ? '' : 's'} (${training.epochs} ` +
      `epoch${training.epochs === 1 ? '' : 's'} of ${perEpoch} batch${perEpoch === 1 ? '' : 'es'}); ` +
      `${kindOf(task, dataset.tokenizer.kind)} usually needs about ${needed.toLocaleString('en')} to ` +
      `learn more than the most common tokens. ` +
      `Train for ${fix.epochs} epochs, with early stopping after ${fix.patience} epochs without improvement.`,
    steps,
    needed,
    epochs: fix.epochs,
    patience: fix.patience,
  };
}
