// Character tokenizer: one token per Unicode code point (a surrogate pair is one token; a lone surrogate
// is one token too). Characters missing from the vocabulary are not lost: they are spelled as an escape,
// `<u>` followed by six hex-digit tokens `<x0>`…`<xf>` of the code point, so the round trip holds on
// any string while the vocabulary grows by only 17 entries (a byte fallback would add 256).
import type { TokenizerSpec } from '../spec.js';
import type { Tokenizer } from './tokenizer.js';
import type { Vocabulary } from './vocabulary.js';
import { BOS, EOS, PAD, RESERVED_TOKENS, buildVocabulary } from './vocabulary.js';

export const ESCAPE = '<u>';
export const HEX_DIGITS = Array.from({ length: 16 }, (_, i) => `<x${i.toString(16)}>`);
export const CHARACTER_FIXED = [ESCAPE, ...HEX_DIGITS];
const DIGITS_PER_ESCAPE = 6;

function codePoints(text: string): string[] {
  return Array.from(text);
}

export function countCharacters(counts: Map<string, number>, text: string, lowercase: boolean): void {
  for (const c of codePoints(lowercase ? text.toLowerCase() : text)) counts.set(c, (counts.get(c) ?? 0) + 1);
}

export function trainCharacterVocabulary(texts: Iterable<string>, spec: TokenizerSpec): Vocabulary {
  const counts = new Map<string, number>();
  for (const t of texts) countCharacters(counts, t, spec.lowercase);
  return buildVocabulary(counts, {
    minFrequency: spec.minFrequency,
    maxSize: spec.maxSize,
    fixed: CHARACTER_FIXED,
  });
}

export function characterTokenizer(spec: TokenizerSpec, vocabulary: Vocabulary): Tokenizer {
  for (const t of CHARACTER_FIXED) {
    if (!vocabulary.has(t)) throw new Error(`character vocabulary lacks the escape token '${t}'`);
  }
  const reserved = new Set<string>(RESERVED_TOKENS);
  const tokenize = (text: string): string[] => {
    const out: string[] = [];
    for (const c of codePoints(spec.lowercase ? text.toLowerCase() : text)) {
      if (vocabulary.has(c) && !reserved.has(c)) out.push(c);
      else {
        // A string's code point is at most 0x10FFFF: six hex digits.
        const hex = c.codePointAt(0)!.toString(16).padStart(DIGITS_PER_ESCAPE, '0');
        out.push(ESCAPE, ...Array.from(hex, (h) => `<x${h}>`));
      }
    }
    return out;
  };
  const detokenize = (tokens: readonly string[]): string => {
    let out = '';
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t === ESCAPE) {
        const digits = tokens.slice(i + 1, i + 1 + DIGITS_PER_ESCAPE);
        const hex = digits.map((d) => (/^<x[0-9a-f]>$/.test(d) ? d[2] : '')).join('');
        if (hex.length === DIGITS_PER_ESCAPE && parseInt(hex, 16) <= 0x10ffff) {
          out += String.fromCodePoint(parseInt(hex, 16));
          i += DIGITS_PER_ESCAPE;
        } else out += '\ufffd'; // a malformed escape, e.g. sampled by a model
      } else if (HEX_DIGITS.includes(t)) out += '\ufffd';
      else if (t.length > 0 && !reserved.has(t)) out += t;
      else if (t === RESERVED_TOKENS[1]) out += '\ufffd';
    }
    return out;
  };
  return {
    spec,
    vocabulary,
    tokenize,
    detokenize,
    encode: (text) => tokenize(text).map((t) => vocabulary.id(t)),
    decode: (ids) =>
      detokenize(
        ids.filter((id) => id !== PAD && id !== BOS && id !== EOS).map((id) => vocabulary.token(id)),
      ),
    display: (token) => token,
  };
}
