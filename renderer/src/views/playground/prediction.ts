// Read the playground's answers (`playground.predict` / `playground.generate`, main/inference) into the
// shapes the boxes draw. The host returns one JSON shape per task (the same `rnn-studio predict --json`
// prints); these readers accept the common spellings of its fields and keep what they understand, so a
// field added later does not break the playground.
import { isRecord, num, numberArray, numberRows, str, stringArray, type Json } from '../training/telemetryRead.js';

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

/** Tokens as plain strings or as objects `{ token, … }` (main/inference/results.ts). */
function tokenTexts(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((v) => (typeof v === 'string' ? v : isRecord(v) ? (str(v.token) ?? str(v.text) ?? '') : String(v)));
}

/** A numeric field of each token object, e.g. `weight` or `probability`; undefined unless every token has it. */
function tokenField(value: unknown, field: string): number[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isRecord)) return undefined;
  const out = value.map((v) => num((v as Json)[field]));
  return out.every((v) => v !== undefined) ? (out as number[]) : undefined;
}

function classList(value: unknown): { label: string; probability: number }[] {
  let out: { label: string; probability: number }[] = [];
  if (Array.isArray(value)) {
    out = value.filter(isRecord).flatMap((c) => {
      const label = str(c.label) ?? str(c.class) ?? str(c.name);
      const probability = num(c.probability) ?? num(c.p) ?? num(c.score);
      return label !== undefined && probability !== undefined ? [{ label, probability }] : [];
    });
  } else if (isRecord(value)) {
    out = Object.entries(value).flatMap(([label, p]) => (typeof p === 'number' ? [{ label, probability: p }] : []));
  }
  return out.sort((a, b) => b.probability - a.probability);
}

function tokenStrings(value: unknown, field: string): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isRecord)) return undefined;
  return value.map((v) => str((v as Json)[field]) ?? '');
}

/** Token weights may come as a flat list or as a per-layer record; take the first list found. */
function weightsOf(r: Json): number[] | undefined {
  for (const key of ['tokenWeights', 'attentionWeights', 'poolingWeights', 'weights', 'attention']) {
    const v = r[key];
    const flat = numberArray(v);
    if (flat && flat.every((x) => Number.isFinite(x))) return flat;
    if (isRecord(v)) {
      for (const inner of Object.values(v)) {
        const list = numberArray(inner);
        if (list) return list;
      }
    }
  }
  return undefined;
}

export function readClassification(raw: unknown): ClassPrediction {
  const r = isRecord(raw) ? raw : {};
  const classes = classList(r.probabilities ?? r.classes ?? r.scores);
  const label = str(r.label) ?? str(r.prediction) ?? str(r.class) ?? classes[0]?.label ?? '';
  const value = num(r.value) ?? num(r.prediction) ?? numberArray(r.values)?.[0];
  return { label, classes, tokens: tokenTexts(r.tokens) ?? [], tokenWeights: tokenField(r.tokens, 'weight') ?? weightsOf(r), value };
}

export function readTagging(raw: unknown): TagPrediction {
  const r = isRecord(raw) ? raw : {};
  const tokens = tokenTexts(r.tokens) ?? [];
  let tags = stringArray(r.tags) ?? stringArray(r.labels) ?? tokenStrings(r.tokens, 'tag') ?? [];
  let probabilities = numberArray(r.probabilities) ?? tokenField(r.tokens, 'probability');
  // Also accept [{ token, tag, probability }].
  if (tags.length === 0 && Array.isArray(r.tagged)) {
    const items = r.tagged.filter(isRecord);
    tags = items.map((i) => str(i.tag) ?? '');
    probabilities = items.map((i) => num(i.probability) ?? NaN);
    if (tokens.length === 0) tokens.push(...items.map((i) => str(i.token) ?? ''));
  }
  return { tokens, tags, probabilities };
}

export function readTranslation(raw: unknown): TranslatePrediction {
  const r = isRecord(raw) ? raw : {};
  const outputTokens = stringArray(r.outputTokens) ?? stringArray(r.targetTokens) ?? stringArray(r.output) ?? tokenTexts(r.tokens) ?? [];
  const text = str(r.text) ?? str(r.output) ?? str(r.translation) ?? outputTokens.join('');
  let attention = numberRows(r.attention);
  if (!attention && isRecord(r.attention)) {
    for (const inner of Object.values(r.attention)) {
      attention = numberRows(inner) ?? (isRecord(inner) ? numberRows(inner.weights) : undefined);
      if (attention) break;
    }
  }
  if (!attention && Array.isArray(r.attention)) {
    const first = r.attention.find(isRecord);
    if (first) attention = numberRows(first.weights);
  }
  return { sourceTokens: stringArray(r.source) ?? stringArray(r.sourceTokens) ?? [], outputTokens, text, attention };
}

export function readGeneration(raw: unknown, seed: string): Generation {
  const r = isRecord(raw) ? raw : {};
  let tokens: GeneratedToken[] = [];
  if (Array.isArray(r.tokens) && r.tokens.some(isRecord)) {
    tokens = r.tokens.filter(isRecord).map((t) => ({ text: str(t.token) ?? str(t.text) ?? '', probability: num(t.probability) ?? num(t.p) }));
  } else {
    const texts = stringArray(r.tokens) ?? stringArray(r.generated);
    const probs = numberArray(r.probabilities);
    if (texts) tokens = texts.map((text, i) => ({ text, probability: probs?.[i] }));
    else {
      const text = str(r.generated) ?? str(r.text) ?? '';
      tokens = text ? [{ text, probability: undefined }] : [];
    }
  }
  return { seed: str(r.seed) ?? seed, tokens };
}

/** Background tint for a token: red = unlikely choice, through yellow, to green = confident. */
export function probabilityTint(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return 'transparent';
  const hue = Math.round(120 * Math.min(1, Math.max(0, p)));
  return `hsla(${hue}, 75%, 50%, 0.35)`;
}
