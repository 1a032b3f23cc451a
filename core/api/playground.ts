// What the playground, `rnn-studio predict --json` / `generate --json` and the exported predict.py return:
// one JSON shape per task, as zod schemas so the host, the Electron bridge and the web client check the
// same thing. Numbers are rounded to 4 decimals (main/inference/results.ts `r4`).
import { z } from 'zod';

const tokenProbability = z.object({ token: z.string(), probability: z.number() });

export const ClassificationResultSchema = z.object({
  task: z.literal('classification'),
  input: z.string(),
  label: z.string(),
  /** Every class, most likely first. */
  probabilities: z.array(z.object({ label: z.string(), probability: z.number() })),
  /** Attention-pooling weight of each input token, when the model pools by attention. */
  tokens: z.array(z.object({ token: z.string(), weight: z.number() })).optional(),
});

export const RegressionResultSchema = z.object({
  task: z.literal('regression'),
  input: z.string(),
  values: z.array(z.number()),
});

export const TaggingResultSchema = z.object({
  task: z.literal('tagging'),
  input: z.string(),
  tokens: z.array(z.object({ token: z.string(), tag: z.string(), probability: z.number() })),
});

export const NextTokenResultSchema = z.object({
  task: z.literal('language-model'),
  input: z.string(),
  /** The five most likely next tokens after the input. */
  next: z.array(tokenProbability),
});

export const TranslationResultSchema = z.object({
  task: z.literal('seq2seq'),
  input: z.string(),
  output: z.string(),
  /** Each output token with the probability the model gave it when it was chosen. */
  tokens: z.array(tokenProbability),
  /** The source as tokens (the heatmap's columns). */
  source: z.array(z.string()),
  /** [output token][source token] attention weights, when the model has an attention block. */
  attention: z.array(z.array(z.number())).optional(),
});

export const PredictResultSchema = z.discriminatedUnion('task', [
  ClassificationResultSchema,
  RegressionResultSchema,
  TaggingResultSchema,
  NextTokenResultSchema,
  TranslationResultSchema,
]);

export const GenerateResultSchema = z.object({
  task: z.literal('language-model'),
  seed: z.string(),
  /** The generated text only (the seed is not repeated). */
  text: z.string(),
  /** Each generated token with the model's probability for it (before temperature and top-k). */
  tokens: z.array(tokenProbability),
});

const unitsByTime = z.array(z.array(z.number()));

/**
 * Inside the model for a typed input: every recurrent layer's hidden state and gate activations per time
 * step (units × time, as the probe's), from one inference-mode forward pass of the compiled graph.
 */
export const InsideResultSchema = z.object({
  input: z.string(),
  layers: z.array(
    z.object({
      /** The block's id, with the direction or stacked layer inside it: `bilstm/forward`, `encoder`. */
      layer: z.string(),
      /** The canvas block it belongs to. */
      node: z.string(),
      /** The tokens (or step numbers) along the time axis. */
      steps: z.array(z.string()),
      /** How many units the layer has; the matrices hold the first `units` rows at most (see limits). */
      units: z.number().int().nonnegative(),
      hidden: unitsByTime,
      gates: z.array(z.object({ gate: z.string(), values: unitsByTime })),
    }),
  ),
  /** The largest matrix sent: rows (units) and columns (steps) beyond these are left out. */
  limits: z.object({ units: z.number().int().positive(), steps: z.number().int().positive() }),
});

export type InsideResult = z.infer<typeof InsideResultSchema>;
export type ClassificationResult = z.infer<typeof ClassificationResultSchema>;
export type RegressionResult = z.infer<typeof RegressionResultSchema>;
export type TaggingResult = z.infer<typeof TaggingResultSchema>;
export type NextTokenResult = z.infer<typeof NextTokenResultSchema>;
export type TranslationResult = z.infer<typeof TranslationResultSchema>;
export type PredictResult = z.infer<typeof PredictResultSchema>;
export type GenerateResult = z.infer<typeof GenerateResultSchema>;
