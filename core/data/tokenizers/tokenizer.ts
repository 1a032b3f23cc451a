// What every tokenizer offers. `tokenize` returns the tokens the model sees, as vocabulary strings;
// `encode` the same as ids. Character and subword tokenizers never lose text: detokenize(tokenize(x)) and
// decode(encode(x)) return x for any string (with lowercase off). The word tokenizer maps unseen words to
// <unk> and rebuilds spacing by a rule, so it is lossy by design.
import type { TokenizerSpec } from '../spec.js';
import type { Vocabulary } from './vocabulary.js';

export interface Tokenizer {
  readonly spec: TokenizerSpec;
  readonly vocabulary: Vocabulary;
  tokenize(text: string): string[];
  detokenize(tokens: readonly string[]): string;
  encode(text: string): number[];
  /** Ids back to text; padding, start and end symbols are skipped. */
  decode(ids: readonly number[]): string;
  /** A token as the UI should show it (subword tokens are stored as raw bytes). */
  display(token: string): string;
}
