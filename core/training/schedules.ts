// Learning-rate schedules: the rate a given update uses, from the base rate and where the run is.
// Pure functions of (config, position) except reduce-on-plateau, whose small state is checkpointed.
import type { ScheduleConfig } from './config.js';

export interface SchedulePosition {
  /** Updates already done (0 for the first batch of the run). */
  step: number;
  /** Epochs already completed (0 during the first epoch). */
  epoch: number;
  /** Updates the whole run will make (epochs × batches per epoch). */
  totalSteps: number;
}

/** reduce-on-plateau memory: the current multiplier, the best validation loss and epochs since it. */
export interface PlateauState {
  scale: number;
  best: number | null;
  badEpochs: number;
}

export function initialPlateau(): PlateauState {
  return { scale: 1, best: null, badEpochs: 0 };
}

function cosine(base: number, min: number, progress: number): number {
  const p = Math.min(1, Math.max(0, progress));
  return min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * p));
}

export function learningRateAt(
  schedule: ScheduleConfig,
  base: number,
  at: SchedulePosition,
  plateau: PlateauState = initialPlateau(),
): number {
  const min = Math.min(schedule.minLearningRate, base);
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'step':
      return base * schedule.factor ** Math.floor(at.epoch / schedule.stepEpochs);
    case 'cosine':
      return cosine(base, min, at.step / Math.max(1, at.totalSteps));
    case 'warmup-cosine': {
      const warmup = Math.min(schedule.warmupSteps, Math.max(0, at.totalSteps - 1));
      if (at.step < warmup) return (base * (at.step + 1)) / warmup;
      return cosine(base, min, (at.step - warmup) / Math.max(1, at.totalSteps - warmup));
    }
    case 'reduce-on-plateau':
      return Math.max(min, base * plateau.scale);
  }
}

/** After an epoch: reduce-on-plateau sees the validation loss and may cut the rate by `factor`. */
export function updatePlateau(
  schedule: ScheduleConfig,
  state: PlateauState,
  loss: number | null,
): PlateauState {
  if (schedule.kind !== 'reduce-on-plateau' || loss === null || !Number.isFinite(loss)) return state;
  if (state.best === null || loss < state.best) return { ...state, best: loss, badEpochs: 0 };
  const badEpochs = state.badEpochs + 1;
  if (badEpochs >= schedule.patience)
    return { scale: state.scale * schedule.factor, best: state.best, badEpochs: 0 };
  return { ...state, badEpochs };
}
