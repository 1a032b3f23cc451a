import { describe, expect, it } from 'vitest';
import { ScheduleConfigSchema } from '../../../../core/training/config.js';
import { initialPlateau, learningRateAt, updatePlateau } from '../../../../core/training/schedules.js';

const at = (step: number, epoch = 0, totalSteps = 100) => ({ step, epoch, totalSteps });

describe('learning-rate schedules', () => {
  it('step halves every stepEpochs', () => {
    const s = ScheduleConfigSchema.parse({ kind: 'step', stepEpochs: 2, factor: 0.5 });
    expect([0, 1, 2, 4].map((e) => learningRateAt(s, 0.1, at(0, e)))).toEqual([0.1, 0.1, 0.05, 0.025]);
  });
  it('cosine goes from base to min, half-way at the middle', () => {
    const s = ScheduleConfigSchema.parse({ kind: 'cosine', minLearningRate: 0.01 });
    expect(learningRateAt(s, 0.1, at(0))).toBeCloseTo(0.1, 12);
    expect(learningRateAt(s, 0.1, at(50))).toBeCloseTo(0.055, 12);
    expect(learningRateAt(s, 0.1, at(100))).toBeCloseTo(0.01, 12);
  });
  it('warm-up rises linearly then follows the cosine', () => {
    const s = ScheduleConfigSchema.parse({ kind: 'warmup-cosine', warmupSteps: 10 });
    expect(learningRateAt(s, 1, at(0))).toBeCloseTo(0.1, 12);
    expect(learningRateAt(s, 1, at(9))).toBeCloseTo(1, 12);
    expect(learningRateAt(s, 1, at(55))).toBeCloseTo(0.5, 12);
  });
  it('reduce-on-plateau cuts after `patience` epochs without improvement', () => {
    const s = ScheduleConfigSchema.parse({ kind: 'reduce-on-plateau', patience: 2, factor: 0.1 });
    let p = initialPlateau();
    for (const loss of [1, 0.9, 0.95, 0.92]) p = updatePlateau(s, p, loss);
    expect(learningRateAt(s, 0.1, at(0), p)).toBeCloseTo(0.01, 12);
  });
});
