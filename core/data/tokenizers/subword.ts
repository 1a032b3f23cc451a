// Subword tokenizer: byte-level BPE. Text is pre-tokenized into chunks, each chunk's UTF-8 bytes are
// merged by the learned merges in rank order. Every byte is in the vocabulary, so nothing is ever
// <unk> and decode(encode(x)) === x for any string (lone surrogates included, via WTF-8).
// Tokens are stored as their bytes in a latin-1 string; `display` shows them as text where they are whole
// characters, and as <0xNN> bytes where a token holds part of a character.
import type { TokenizerSpec } from '../spec.js';
import { bytesToKey, trainBpe } from './bpe-train.js';
import { pretokenize } from './pretokenize.js';
import type { Tokenizer } from './tokenizer.js';
import { decodeUtf8, encodeUtf8, isWellFormedUtf8 } from './utf8.js';
import { BOS, EOS, PAD, RESERVED_TOKENS, Vocabulary } from './vocabulary.js';

export const BYTE_TOKENS = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b));
export const DEFAULT_SUBWORD_SIZE = 1000;

/** Learns merges and the matching vocabulary: reserved, 256 bytes, then one token per merge. */
export function trainSubword(
  texts: Iterable<string>,
  spec: TokenizerSpec,
): { merges: [string, string][]; vocabulary: Vocabulary } {
  const size = spec.maxSize ?? DEFAULT_SUBWORD_SIZE;
  const maxMerges = Math.max(0, size - RESERVED_TOKENS.length - 256);
  const merges = trainBpe(texts, { maxMerges, minFrequency: spec.minFrequency, lowercase: spec.lowercase });
  return {
    merges,
    vocabulary: new Vocabulary([...RESERVED_TOKENS, ...BYTE_TOKENS, ...merges.map(([a, b]) => a + b)]),
  };
}

const SHIFT = 2 ** 21;

export function subwordTokenizer(spec: TokenizerSpec, vocabulary: Vocabulary): Tokenizer {
  const byteId = BYTE_TOKENS.map((t) => {
    if (!vocabulary.has(t))
      throw new Error(`subword vocabulary lacks byte token 0x${t.charCodeAt(0).toString(16)}`);
    return vocabulary.id(t);
  });
  // pair of ids → [rank, merged id]
  const ranks = new Map<number, [number, number]>();
  (spec.merges ?? []).forEach(([a, b], rank) => {
    const merged = a + b;
    if (!vocabulary.has(a) || !vocabulary.has(b) || !vocabulary.has(merged)) {
      throw new Error(`subword merge ${rank + 1} ('${a}' + '${b}') uses a token missing from the vocabulary`);
    }
    ranks.set(vocabulary.id(a) * SHIFT + vocabulary.id(b), [rank, vocabulary.id(merged)]);
  });
  const cache = new Map<string, number[]>();

  const encodeChunk = (chunk: string): number[] => {
    const hit = cache.get(chunk);
    if (hit) return hit;
    let word = encodeUtf8(chunk).map((b) => byteId[b]!);
    for (;;) {
      let best: [number, number] | undefined;
      let bestPair = -1;
      for (let i = 0; i + 1 < word.length; i++) {
        const k = word[i]! * SHIFT + word[i + 1]!;
        const r = ranks.get(k);
        if (r && (!best || r[0] < best[0])) [best, bestPair] = [r, k];
      }
      if (!best) break;
      const next: number[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i + 1 < word.length && word[i]! * SHIFT + word[i + 1]! === bestPair) {
          next.push(best[1]);
          i++;
        } else next.push(word[i]!);
      }
      word = next;
    }
    if (cache.size < 100_000) cache.set(chunk, word);
    return word;
  };
  const encode = (text: string) =>
    pretokenize(spec.lowercase ? text.toLowerCase() : text).flatMap(encodeChunk);
  const tokenBytes = (t: string): number[] => Array.from(t, (c) => c.charCodeAt(0) & 255);
  const detokenize = (tokens: readonly string[]) => {
    const reserved = new Set<string>(RESERVED_TOKENS);
    return decodeUtf8(tokens.filter((t) => !reserved.has(t)).flatMap(tokenBytes));
  };
  return {
    spec,
    vocabulary,
    encode,
    tokenize: (text) => encode(text).map((id) => vocabulary.token(id)),
    detokenize,
    decode: (ids) =>
      detokenize(
        ids.filter((id) => id !== PAD && id !== BOS && id !== EOS).map((id) => vocabulary.token(id)),
      ),
    display: (token) => {
      if ((RESERVED_TOKENS as readonly string[]).includes(token)) return token;
      const bytes = tokenBytes(token);
      return isWellFormedUtf8(bytes)
        ? decodeUtf8(bytes)
        : bytes.map((b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`).join('');
    },
  };
}

export { bytesToKey };
