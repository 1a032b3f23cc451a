// Word tokenizer. The splitting rule (shown in the UI):
//   a word is a run of letters, combining marks and digits, which may continue through an apostrophe or
//   hyphen followed by more letters/digits ("don't", "well-known", "3-2"); every other visible character
//   (punctuation, symbols, emoji) is a token on its own; whitespace separates tokens and is dropped.
// With `lowercase`, text is case-folded first. Words outside the vocabulary (rarer than minFrequency, or
// beyond maxSize) become <unk>. Detokenizing joins with spaces, with no space before closing punctuation
// or after opening brackets, so it is readable but not the original spacing.
import type { TokenizerSpec } from '../spec.js';
import type { Tokenizer } from './tokenizer.js';
import type { Vocabulary } from './vocabulary.js';
import { BOS, EOS, PAD, RESERVED_TOKENS, buildVocabulary, countTokens } from './vocabulary.js';

const WORD = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;
const NO_SPACE_BEFORE = new Set(['.', ',', '!', '?', ';', ':', ')', ']', '}', '%', '…']);
const NO_SPACE_AFTER = new Set(['(', '[', '{']);

/** Splits text into words by the rule above (no vocabulary involved). */
export function splitWords(text: string, lowercase = false): string[] {
  return (lowercase ? text.toLowerCase() : text).match(WORD) ?? [];
}

export function trainWordVocabulary(texts: Iterable<string>, spec: TokenizerSpec): Vocabulary {
  const counts = new Map<string, number>();
  for (const t of texts) countTokens(counts, splitWords(t, spec.lowercase));
  return buildVocabulary(counts, { minFrequency: spec.minFrequency, maxSize: spec.maxSize });
}

/** For tagging, where tokens come pre-split: counts them as given (case-folded if asked). */
export function trainTokenListVocabulary(
  lists: Iterable<readonly string[]>,
  spec: TokenizerSpec,
): Vocabulary {
  const counts = new Map<string, number>();
  for (const l of lists) countTokens(counts, spec.lowercase ? l.map((t) => t.toLowerCase()) : l);
  return buildVocabulary(counts, { minFrequency: spec.minFrequency, maxSize: spec.maxSize });
}

export function joinWords(tokens: readonly string[]): string {
  let out = '';
  let glue = true;
  for (const t of tokens) {
    out += glue || NO_SPACE_BEFORE.has(t) ? t : ` ${t}`;
    glue = NO_SPACE_AFTER.has(t);
  }
  return out;
}

export function wordTokenizer(spec: TokenizerSpec, vocabulary: Vocabulary): Tokenizer {
  const reserved = new Set<string>(RESERVED_TOKENS);
  const tokenize = (text: string) =>
    splitWords(text, spec.lowercase).map((w) =>
      vocabulary.has(w) && !reserved.has(w) ? w : RESERVED_TOKENS[1],
    );
  return {
    spec,
    vocabulary,
    tokenize,
    detokenize: joinWords,
    encode: (text) => tokenize(text).map((t) => vocabulary.id(t)),
    decode: (ids) =>
      joinWords(ids.filter((id) => id !== PAD && id !== BOS && id !== EOS).map((id) => vocabulary.token(id))),
    display: (token) => token,
  };
}
