// How a run trains: optimizer, learning-rate schedule, clipping, epochs, early stopping, probing.
// Every default lives here, once; the UI's training form, the project file and the CLI all parse with
// this schema, so `TrainingConfigSchema.parse({})` is the studio's default run. No tfjs here: the UI
// imports this file to validate settings.
import { z } from 'zod';

export const OptimizerKind = z.enum(['sgd', 'adam', 'adamw', 'rmsprop']);

export const OptimizerConfigSchema = z
  .object({
    kind: OptimizerKind.default('adam'),
    /** Base learning rate; a schedule scales it. */
    learningRate: z.number().positive().max(10).default(0.001),
    /** SGD momentum; for RMSprop, momentum on the scaled step (0 = none). */
    momentum: z.number().min(0).lt(1).default(0),
    /** SGD only: Nesterov look-ahead momentum (needs momentum > 0). */
    nesterov: z.boolean().default(false),
    /**
     * Weight decay. AdamW: decoupled decay, w -= lr·decay·w (Loshchilov & Hutter). SGD, Adam, RMSprop:
     * classic L2, decay·w added to the gradient (what PyTorch's `weight_decay` does for them).
     */
    weightDecay: z.number().min(0).max(1).default(0),
    /** Adam/AdamW first-moment decay. */
    beta1: z.number().min(0).lt(1).default(0.9),
    /** Adam/AdamW second-moment decay; RMSprop's squared-gradient decay (Keras `rho`, PyTorch `alpha`). */
    beta2: z.number().min(0).lt(1).default(0.999),
    epsilon: z.number().positive().max(1).default(1e-8),
  })
  .strict();

export const ScheduleKind = z.enum(['constant', 'step', 'cosine', 'warmup-cosine', 'reduce-on-plateau']);

export const ScheduleConfigSchema = z
  .object({
    kind: ScheduleKind.default('constant'),
    /** step: multiply the rate by `factor` every `stepEpochs` epochs. */
    stepEpochs: z.number().int().positive().default(10),
    /** step and reduce-on-plateau: the multiplier applied (0.5 halves the rate). */
    factor: z.number().positive().lt(1).default(0.5),
    /** warmup-cosine: batches over which the rate rises linearly from 0 to the base rate. */
    warmupSteps: z.number().int().nonnegative().default(100),
    /** cosine, warmup-cosine, reduce-on-plateau: the rate never goes below this. */
    minLearningRate: z.number().nonnegative().default(0),
    /** reduce-on-plateau: epochs without improvement of validation loss before reducing. */
    patience: z.number().int().positive().default(3),
  })
  .strict();

export const ClippingConfigSchema = z
  .object({
    /**
     * global-norm: scale all gradients together so their joint L2 norm is at most `value` (the usual cure
     * for exploding RNN gradients); value: clamp each gradient entry to [-value, value]; none: off.
     */
    kind: z.enum(['none', 'global-norm', 'value']).default('global-norm'),
    value: z.number().positive().default(5),
  })
  .strict();

/**
 * Metrics early stopping and save-best can watch; `validation.*` falls back to `train.*` without validation
 * data.
 */
export const WatchedMetric = z.enum([
  'validation.loss',
  'validation.accuracy',
  'validation.perplexity',
  'validation.mse',
  'train.loss',
]);

export const EarlyStoppingConfigSchema = z
  .object({
    /** Epochs without improvement before stopping; 0 = never stop early. */
    patience: z.number().int().nonnegative().default(0),
    metric: WatchedMetric.default('validation.loss'),
    /** An improvement smaller than this does not count. */
    minDelta: z.number().nonnegative().default(0),
  })
  .strict();

export const WorkersSetting = z.union([z.literal('auto'), z.number().int().min(1).max(256)]);
export type WorkersSettingValue = z.output<typeof WorkersSetting>;

/** How many engines `workers` means on a machine with `cores` logical processors. */
export function resolveWorkers(setting: WorkersSettingValue, cores: number): number {
  return setting === 'auto' ? Math.max(1, Math.floor(cores) - 1) : setting;
}

export const TrainingConfigSchema = z
  .object({
    optimizer: OptimizerConfigSchema.prefault({}),
    schedule: ScheduleConfigSchema.prefault({}),
    clipping: ClippingConfigSchema.prefault({}),
    epochs: z.number().int().positive().max(100_000).default(10),
    batchSize: z.number().int().positive().max(65_536).default(32),
    /**
     * Group examples of similar length into batches, so less padding is computed (the order stays seeded).
     */
    bucketing: z.boolean().default(true),
    /** Seeds shuffling, dropout and initialisation: the same seed gives the same run. */
    seed: z
      .number()
      .int()
      .nonnegative()
      .max(2 ** 32 - 1)
      .default(42),
    earlyStopping: EarlyStoppingConfigSchema.prefault({}),
    /** Keep a copy of the weights of the best epoch (by `earlyStopping.metric`) besides the latest. */
    saveBest: z.boolean().default(true),
    /** Split long sequences into windows of `steps`, carrying the recurrent state across them; 0 = off. */
    truncatedBptt: z
      .object({ steps: z.number().int().nonnegative().default(0) })
      .strict()
      .prefault({}),
    /**
     * Record the probe example (gradient through time, gates, hidden states, attention) every N epochs;
     * 0 = never. `example` is the index of the validation (else training) example probed.
     */
    probe: z
      .object({
        everyEpochs: z.number().int().nonnegative().default(1),
        example: z.number().int().nonnegative().default(0),
      })
      .strict()
      .prefault({}),
    /** Write a checkpoint every N epochs (always also on stop). */
    checkpointEveryEpochs: z.number().int().positive().default(1),
    /**
     * Stop the run when the loss or the gradient norm explodes (core/training/divergence.ts), rolling the
     * weights back to the last checkpoint; off = warn and train on.
     */
    stopOnDivergence: z.boolean().default(false),
    /**
     * Engines training in parallel, each on a shard of every batch (data parallel, CPU backends): a
     * number, or `auto` = the machine's cores minus one (at least 1). 1 = one engine.
     */
    workers: WorkersSetting.default('auto'),
  })
  .strict();

export type TrainingConfig = z.output<typeof TrainingConfigSchema>;
/** What a user or file may write: every field optional, defaults filled by the schema. */
export type TrainingConfigInput = z.input<typeof TrainingConfigSchema>;
export type OptimizerConfig = z.output<typeof OptimizerConfigSchema>;
export type ScheduleConfig = z.output<typeof ScheduleConfigSchema>;
export type ClippingConfig = z.output<typeof ClippingConfigSchema>;
export type EarlyStoppingConfig = z.output<typeof EarlyStoppingConfigSchema>;

/** The default run (every field at its default). */
export function defaultTrainingConfig(): TrainingConfig {
  return TrainingConfigSchema.parse({});
}

/** Parse a config, turning a zod failure into one message naming the field (`optimizer.learningRate`). */
export function parseTrainingConfig(
  input: unknown,
): { ok: true; config: TrainingConfig } | { ok: false; field: string; message: string } {
  const result = TrainingConfigSchema.safeParse(input ?? {});
  if (result.success) return { ok: true, config: result.data };
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'training';
  return { ok: false, field, message: `training.${field}: ${issue?.message ?? 'invalid value'}` };
}
