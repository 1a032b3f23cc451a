// Training sized to the data: epochs for the task's step budget,
// patience, split by size, the short-run advice.
import { describe, expect, it } from 'vitest';
import { DatasetSpecSchema } from '../../../../core/data/spec.js';
import { defaultTrainingConfig } from '../../../../core/training/config.js';
import {
  runLengthAdvice,
  sizeTraining,
  splitFor,
  STEP_BUDGET,
  trainingExamples,
  trainingForData,
} from '../../../../core/training/sizing.js';

describe('sizing training to the data', () => {
  it('many epochs on a small file, few on a large one, always about the step budget', () => {
    // A 45 KB text in 200-character windows: 225 windows, 180 for training, 12 batches of 16 per epoch.
    const small = sizeTraining('language-model', 180, 16);
    expect(small).toEqual({
      epochs: 50, // 600 steps
      patience: 5,
      steps: 12 * Math.ceil(STEP_BUDGET['language-model'] / 12),
      stepsPerEpoch: 12,
    });
    const large = sizeTraining('classification', 400_000, 32);
    expect(large.epochs).toBe(2); // 12,500 steps an epoch: the minimum of two epochs
    expect(large.patience).toBe(3);
    expect(sizeTraining('classification', 10, 32).epochs).toBe(500); // capped
  });

  it('the validation split: a fifth and no test split for tiny data, 10% each, then 5,000 each', () => {
    expect(splitFor(120)).toEqual({ validation: 0.2, test: 0, seed: 1 });
    expect(splitFor(5000)).toEqual({ validation: 0.1, test: 0.1, seed: 1 });
    expect(splitFor(500_000)).toEqual({ validation: 0.01, test: 0.01, seed: 1 });
    expect(trainingExamples(225, { validation: 0.1, test: 0.1 })).toBe(179);
  });

  it('trainingForData sets epochs, early stopping on validation loss, save-best; keeps the rest', () => {
    const before = {
      ...defaultTrainingConfig(),
      batchSize: 16,
      optimizer: { ...defaultTrainingConfig().optimizer, learningRate: 0.005 },
    };
    const after = trainingForData('language-model', 225, splitFor(225), before);
    expect(after.epochs).toBe(sizeTraining('language-model', 179, 16).epochs);
    expect(after.earlyStopping).toMatchObject({
      metric: 'validation.loss',
      patience: sizeTraining('language-model', 179, 16).patience,
    });
    expect(after.saveBest).toBe(true);
    // about 20 probes and checkpoints a run
    expect(after.probe.everyEpochs).toBe(Math.round(after.epochs / 20));
    expect(after.checkpointEveryEpochs).toBe(Math.round(after.epochs / 20));
    expect(after.optimizer.learningRate).toBe(0.005);
  });

  it(
    'warns before a run far shorter than the kind of model needs, ' + 'with the fix; not for generated data',
    () => {
      const spec = DatasetSpecSchema.parse({
        task: 'language-model',
        source: { kind: 'embedded', entry: 'data/t.txt', format: 'text' },
        tokenizer: { kind: 'character' },
        examples: 225,
      });
      const five = { ...defaultTrainingConfig(), epochs: 5, batchSize: 16 };
      const advice = runLengthAdvice('language-model', spec, five);
      expect(advice).toMatchObject({ steps: 60, needed: STEP_BUDGET['language-model'] });
      expect(advice!.message).toBe(
        `This run makes 60 optimizer steps (5 epochs of 12 batches); ` +
          `a character language model usually needs about 600 to learn more than the most common tokens. ` +
          `Train for ${advice!.epochs} epochs, with early stopping after ${advice!.patience} epochs ` +
          `without improvement.`,
      );
      expect(runLengthAdvice('language-model', spec, { ...five, epochs: advice!.epochs })).toBeNull();
      const generated = DatasetSpecSchema.parse({
        task: 'classification',
        source: { kind: 'generator', name: 'sentiment' },
      });
      expect(runLengthAdvice('classification', generated, five)).toBeNull();
    },
  );
});
