// What `rnn-studio predict --json`, `generate --json`, the playground and the exported predict.py return:
// one JSON shape per task. Numbers are rounded to 4 decimals the same way everywhere (Math.round(x·1e4)/1e4),
// so the studio and the export print the same text.

export interface ClassificationResult {
  task: 'classification';
  input: string;
  label: string;
  /** Every class, most likely first. */
  probabilities: { label: string; probability: number }[];
  /** Attention-pooling weight of each input token, when the model pools by attention. */
  tokens?: { token: string; weight: number }[];
}

export interface RegressionResult {
  task: 'regression';
  input: string;
  values: number[];
}

export interface TaggingResult {
  task: 'tagging';
  input: string;
  tokens: { token: string; tag: string; probability: number }[];
}

export interface NextTokenResult {
  task: 'language-model';
  input: string;
  /** The five most likely next tokens after the input. */
  next: { token: string; probability: number }[];
}

export interface TranslationResult {
  task: 'seq2seq';
  input: string;
  output: string;
  /** Each output token with the probability the model gave it when it was chosen. */
  tokens: { token: string; probability: number }[];
  /** The source as tokens (the heatmap's columns). */
  source: string[];
  /** [output token][source token] attention weights, when the model has an attention block. */
  attention?: number[][];
}

export type PredictResult = ClassificationResult | RegressionResult | TaggingResult | NextTokenResult | TranslationResult;

export interface GenerateResult {
  task: 'language-model';
  seed: string;
  /** The generated text only (the seed is not repeated). */
  text: string;
  /** Each generated token with the model's probability for it (before temperature and top-k). */
  tokens: { token: string; probability: number }[];
}

/** The one rounding rule of every printed number. */
export function r4(x: number): number {
  const v = Math.round(x * 10000) / 10000;
  return Object.is(v, -0) ? 0 : v;
}

/** Indices sorted by value, largest first, lower index first on ties. */
export function ranked(values: ArrayLike<number>, k = values.length): number[] {
  return Array.from({ length: values.length }, (_, i) => i)
    .sort((a, b) => values[b]! - values[a]! || a - b)
    .slice(0, k);
}

/** Human-readable lines of a result (the CLI without --json). */
export function formatResult(result: PredictResult | GenerateResult): string {
  if ('seed' in result) return `${result.seed}${result.text}`;
  switch (result.task) {
    case 'classification':
      return result.probabilities.map((p) => `${p.label}: ${p.probability}`).join('\n');
    case 'regression':
      return result.values.join(' ');
    case 'tagging':
      return result.tokens.map((t) => `${t.token}/${t.tag}`).join(' ');
    case 'seq2seq':
      return result.output;
    case 'language-model':
      return result.next.map((n) => `${JSON.stringify(n.token)}: ${n.probability}`).join('\n');
  }
}
