// What scoring a trained project returns (`rnn-studio eval`, the studio's "Evaluate on a file…"): loss
// and the task's metrics, and for classifiers and taggers the confusion matrix with per-class precision,
// recall and F1. Zod-typed (no tfjs), so the host API carries it to the studio's charts unchanged.
import { z } from 'zod';

export const ClassScoreSchema = z.object({
  label: z.string(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
  /** Examples (tokens, for tagging) whose true class this is. */
  support: z.number().int().nonnegative(),
});
export type ClassScore = z.infer<typeof ClassScoreSchema>;

export const ConfusionSchema = z.object({
  labels: z.array(z.string()),
  /** matrix[true][predicted] = count. */
  matrix: z.array(z.array(z.number().int().nonnegative())),
  perClass: z.array(ClassScoreSchema),
});
export type Confusion = z.infer<typeof ConfusionSchema>;

export const EvaluationReportSchema = z.object({
  run: z.string(),
  epoch: z.number().int(),
  split: z.enum(['validation', 'train', 'file']),
  examples: z.number().int().nonnegative(),
  backend: z.string(),
  /** loss, and as the task has them accuracy, token_accuracy, exact_match, mse, mae, perplexity. */
  metrics: z.record(z.string(), z.number().nullable()),
  /** Rows of the file that could not be scored, with the first few lines. */
  skipped: z
    .object({
      count: z.number().int(),
      first: z.array(z.object({ line: z.number().int(), message: z.string() })),
    })
    .optional(),
  confusion: ConfusionSchema.optional(),
});
export type EvaluationReport = z.infer<typeof EvaluationReportSchema>;
