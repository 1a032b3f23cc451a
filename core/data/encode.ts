// Examples → ids. `prepareDataset` fills in what a spec learns from its training examples (the
// tokenizer's vocabulary and merges, the class or tag names), once; `createEncoder` then turns each
// example into arrays of ids, truncated to maxLength. Padding and masks come later, per batch.
import type { Example } from './example.js';
import type { DatasetSpec } from './spec.js';
import {
  BOS,
  EOS,
  loadTokenizer,
  trainTokenListVocabulary,
  trainTokenizer,
  type Tokenizer,
} from './tokenizers/index.js';

export interface EncodedExample {
  /** Input ids: the text (classification, regression, language model), the tokens (tagging). */
  tokens?: Int32Array;
  /** Numeric input [T*F] flattened, with F = featureSize (adding problem). */
  features?: Float32Array;
  featureSize?: number;
  /** Class id (classification). */
  label?: number;
  /** Per-step targets: tag ids (tagging) or next-token ids (language model). */
  steps?: Int32Array;
  /** Regression targets. */
  values?: Float32Array;
  /** Seq2seq ids, without start/end symbols (the batcher frames the target). */
  source?: Int32Array;
  target?: Int32Array;
  /** Steps this example occupies (longest of source/target for seq2seq), for bucketing. */
  length: number;
  truncated: boolean;
}

/** A bad example, with where it came from. */
export class ExampleError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly field?: string,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'ExampleError';
  }
}

/** Natural order for class names: numbers numerically when all are numbers, else code-point order. */
export function sortLabels(labels: Iterable<string>): string[] {
  const list = [...new Set(labels)];
  const numeric = list.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return list.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function textsFor(spec: DatasetSpec, examples: readonly Example[]): string[] {
  if (spec.task === 'seq2seq') return examples.flatMap((e) => [e.source ?? '', e.target ?? '']);
  return examples.flatMap((e) => (e.text === undefined ? [] : [e.text]));
}

/** Returns the spec with vocabulary, merges and labels learned from `examples` where not already saved. */
export function prepareDataset(spec: DatasetSpec, examples: readonly Example[]): DatasetSpec {
  let next = spec;
  if (!spec.vocabulary) {
    if (spec.task === 'tagging') {
      // Tokens come pre-split and must stay aligned with their tags: the vocabulary is one of words.
      const tokenizer = { ...spec.tokenizer, kind: 'word' as const, merges: undefined };
      const vocabulary = trainTokenListVocabulary(
        examples.map((e) => e.tokens ?? []),
        tokenizer,
      );
      next = { ...next, tokenizer, vocabulary: [...vocabulary.tokens] };
    } else {
      const tokenizer = trainTokenizer(spec.tokenizer, textsFor(spec, examples));
      next = { ...next, tokenizer: tokenizer.spec, vocabulary: [...tokenizer.vocabulary.tokens] };
    }
  }
  if (!spec.labels && (spec.task === 'classification' || spec.task === 'tagging')) {
    const names =
      spec.task === 'classification'
        ? examples.map((e) => e.label ?? '')
        : examples.flatMap((e) => e.tags ?? []);
    next = { ...next, labels: sortLabels(names.filter((l) => l !== '')) };
  }
  return next;
}

export interface Encoder {
  tokenizer: Tokenizer;
  encode(example: Example): EncodedExample;
}

export function createEncoder(spec: DatasetSpec): Encoder {
  if (!spec.vocabulary)
    throw new Error('dataset has no vocabulary yet: prepare it from the training examples first');
  const tokenizer = loadTokenizer(spec.tokenizer, spec.vocabulary);
  const labelIds = new Map((spec.labels ?? []).map((l, i) => [l, i]));
  const max = spec.maxLength;
  const ids = (text: string | undefined, field: string, line?: number) => {
    if (text === undefined) throw new ExampleError(`missing ${field}`, line, field);
    return tokenizer.encode(text);
  };
  const classId = (name: string | undefined, field: string, line?: number) => {
    const id = name === undefined ? undefined : labelIds.get(name);
    if (id === undefined)
      throw new ExampleError(
        name === undefined ? `missing ${field}` : `unknown ${field} '${name}'`,
        line,
        field,
      );
    return id;
  };

  const encode = (e: Example): EncodedExample => {
    switch (spec.task) {
      case 'classification':
      case 'regression': {
        let out: EncodedExample;
        if (e.features) {
          const f = e.features[0]?.length ?? 0;
          const steps = e.features.slice(0, max);
          out = {
            features: Float32Array.from(steps.flat()),
            featureSize: f,
            length: steps.length,
            truncated: e.features.length > max,
          };
        } else {
          const all = ids(e.text, 'text', e.line);
          out = {
            tokens: Int32Array.from(all.slice(0, max)),
            length: Math.min(all.length, max),
            truncated: all.length > max,
          };
        }
        if (spec.task === 'classification') out.label = classId(e.label, 'label', e.line);
        else {
          if (!e.values || e.values.length === 0 || e.values.some((v) => !Number.isFinite(v))) {
            throw new ExampleError('regression target must be a number', e.line, 'targets');
          }
          out.values = Float32Array.from(e.values);
        }
        return out;
      }
      case 'tagging': {
        const tokens = e.tokens ?? [];
        const tags = e.tags ?? [];
        if (tokens.length !== tags.length) {
          throw new ExampleError(
            `${tokens.length} tokens but ${tags.length} tags: they must align one to one`,
            e.line,
            'tags',
          );
        }
        const n = Math.min(tokens.length, max);
        const fold = spec.tokenizer.lowercase;
        return {
          tokens: Int32Array.from(tokens.slice(0, n), (t) =>
            tokenizer.vocabulary.id(fold ? t.toLowerCase() : t),
          ),
          steps: Int32Array.from(tags.slice(0, n), (t) => classId(t, 'tag', e.line)),
          length: n,
          truncated: tokens.length > max,
        };
      }
      case 'language-model': {
        // One example per line: predict each next token, from <s> to </s>.
        const all = [BOS, ...ids(e.text, 'text', e.line), EOS];
        const n = Math.min(all.length - 1, max);
        return {
          tokens: Int32Array.from(all.slice(0, n)),
          steps: Int32Array.from(all.slice(1, n + 1)),
          length: n,
          truncated: all.length - 1 > max,
        };
      }
      case 'seq2seq': {
        const source = ids(e.source, 'source', e.line);
        const target = ids(e.target, 'target', e.line);
        const s = Math.min(source.length, max);
        const t = Math.min(target.length, max - 1); // room for the start/end symbol
        return {
          source: Int32Array.from(source.slice(0, s)),
          target: Int32Array.from(target.slice(0, t)),
          length: Math.max(s, t + 1),
          truncated: source.length > s || target.length > t,
        };
      }
    }
  };
  return { tokenizer, encode };
}

/**
 * A language model on one long text: contiguous windows of `length` tokens, each predicting the
 * window shifted by one. Windows do not overlap; the tail shorter than 2 tokens is dropped.
 */
export function languageModelWindows(ids: ArrayLike<number>, length: number): EncodedExample[] {
  const out: EncodedExample[] = [];
  for (let at = 0; at + 1 < ids.length; at += length) {
    const n = Math.min(length, ids.length - 1 - at);
    const tokens = new Int32Array(n);
    const steps = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      tokens[i] = ids[at + i]!;
      steps[i] = ids[at + i + 1]!;
    }
    out.push({ tokens, steps, length: n, truncated: false });
  }
  return out;
}
