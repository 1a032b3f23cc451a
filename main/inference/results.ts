// What `rnn-studio predict --json`, `generate --json`, the playground and the exported predict.py return:
// one JSON shape per task. Numbers are rounded to 4 decimals the same way everywhere
// (Math.round(x·1e4)/1e4), so the studio and the export print the same text.

import type { GenerateResult, PredictResult } from '../../core/api/playground.js';

// The shapes are zod schemas in core (the host API checks answers with them); re-exported for main's code.
export type {
  ClassificationResult,
  GenerateResult,
  NextTokenResult,
  PredictResult,
  RegressionResult,
  TaggingResult,
  TranslationResult,
} from '../../core/api/playground.js';

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
