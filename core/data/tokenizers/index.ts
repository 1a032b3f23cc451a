// One entry point: train a tokenizer on a dataset's texts, or rebuild it from the spec and vocabulary
// saved in the project (so predictions use exactly the training mapping).
import type { TokenizerSpec } from '../spec.js';
import { characterTokenizer, trainCharacterVocabulary } from './character.js';
import { subwordTokenizer, trainSubword } from './subword.js';
import type { Tokenizer } from './tokenizer.js';
import { Vocabulary } from './vocabulary.js';
import { trainWordVocabulary, wordTokenizer } from './word.js';

export type { Tokenizer } from './tokenizer.js';
export { Vocabulary, PAD, UNK, BOS, EOS, RESERVED_TOKENS, buildVocabulary } from './vocabulary.js';
export { splitWords, joinWords, trainTokenListVocabulary } from './word.js';

/**
 * Trains on `texts` (an array: BPE and counting read it once each). Returns the spec to save (with merges).
 */
export function trainTokenizer(spec: TokenizerSpec, texts: readonly string[]): Tokenizer {
  switch (spec.kind) {
    case 'character':
      return characterTokenizer(spec, trainCharacterVocabulary(texts, spec));
    case 'word':
      return wordTokenizer(spec, trainWordVocabulary(texts, spec));
    case 'subword': {
      const { merges, vocabulary } = trainSubword(texts, spec);
      return subwordTokenizer({ ...spec, merges }, vocabulary);
    }
  }
}

/** Rebuilds a trained tokenizer from its saved spec and token list. Throws naming what is inconsistent. */
export function loadTokenizer(spec: TokenizerSpec, tokens: readonly string[]): Tokenizer {
  const vocabulary = new Vocabulary(tokens);
  switch (spec.kind) {
    case 'character':
      return characterTokenizer(spec, vocabulary);
    case 'word':
      return wordTokenizer(spec, vocabulary);
    case 'subword':
      return subwordTokenizer(spec, vocabulary);
  }
}
