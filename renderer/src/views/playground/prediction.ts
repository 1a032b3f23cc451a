// Read the playground's answers (`playground.predict` / `playground.generate`, main/inference) into the
// shapes the boxes draw. The host answers one typed shape per task (core/api/playground.ts, checked by the
// host client); a box shown for another task than the answer's (the project's task just changed) draws
// nothing rather than guessing.
import type { GenerateResult, PredictResult } from '../../../../core/api/playground.js';
export interface ClassPrediction {
  label: string;
  /** Sorted, most likely first. */
  classes: { label: string; probability: number }[];
  tokens: string[];
  /** Attention-pooling weight of each token (same length as tokens), when the model has that pooling. */
  tokenWeights: number[] | undefined;
  /** Regression models answer a number instead of a label. */
  value: number | undefined;
}

export interface TagPrediction {
  tokens: string[];
  tags: string[];
  probabilities: number[] | undefined;
}

export interface TranslatePrediction {
  sourceTokens: string[];
  outputTokens: string[];
  text: string;
  /** target x source weights, per attention block (first one drawn). */
  attention: number[][] | undefined;
}

export interface GeneratedToken {
  text: string;
  probability: number | undefined;
}

export interface Generation {
  seed: string;
  tokens: GeneratedToken[];
}

export function readClassification(result: PredictResult): ClassPrediction {
  if (result.task === 'regression') {
    return { label: '', classes: [], tokens: [], tokenWeights: undefined, value: result.values[0] };
  }
  if (result.task !== 'classification') {
    return { label: '', classes: [], tokens: [], tokenWeights: undefined, value: undefined };
  }
  const classes = [...result.probabilities].sort((a, b) => b.probability - a.probability);
  return {
    label: result.label || (classes[0]?.label ?? ''),
    classes,
    tokens: result.tokens?.map((t) => t.token) ?? [],
    tokenWeights: result.tokens?.map((t) => t.weight),
    value: undefined,
  };
}

export function readTagging(result: PredictResult): TagPrediction {
  if (result.task !== 'tagging') return { tokens: [], tags: [], probabilities: undefined };
  return {
    tokens: result.tokens.map((t) => t.token),
    tags: result.tokens.map((t) => t.tag),
    probabilities: result.tokens.map((t) => t.probability),
  };
}

export function readTranslation(result: PredictResult): TranslatePrediction {
  if (result.task !== 'seq2seq')
    return { sourceTokens: [], outputTokens: [], text: '', attention: undefined };
  return {
    sourceTokens: result.source,
    outputTokens: result.tokens.map((t) => t.token),
    text: result.output,
    attention: result.attention,
  };
}

export function readGeneration(result: GenerateResult): Generation {
  return {
    seed: result.seed,
    tokens: result.tokens.map((t) => ({ text: t.token, probability: t.probability })),
  };
}

/** Background tint for a token: red = unlikely choice, through yellow, to green = confident. */
export function probabilityTint(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return 'transparent';
  const hue = Math.round(120 * Math.min(1, Math.max(0, p)));
  return `hsla(${hue}, 75%, 50%, 0.35)`;
}
