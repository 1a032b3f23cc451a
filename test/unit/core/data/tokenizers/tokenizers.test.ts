import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenizerSpecSchema } from '../../../../../core/data/spec.js';
import {
  loadTokenizer,
  splitWords,
  trainTokenizer,
  RESERVED_TOKENS,
} from '../../../../../core/data/tokenizers/index.js';
import { decodeUtf8, encodeUtf8 } from '../../../../../core/data/tokenizers/utf8.js';
import { trainBpe } from '../../../../../core/data/tokenizers/bpe-train.js';

const corpus = [
  'The quick brown fox jumps over the lazy dog.',
  'the theory of the thing: then there were three.',
  "Don't stop — it's well-known that 3-2 is 1!",
  'café naïve résumé 東京 😀',
];
const spec = (kind: 'character' | 'word' | 'subword', extra: object = {}) =>
  TokenizerSpecSchema.parse({ kind, ...extra });
// Any JS string: full Unicode code points, plus arbitrary UTF-16 units (lone surrogates included).
const anyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
);

describe('utf8 (WTF-8)', () => {
  it('matches the platform encoder on well-formed text and round-trips any string', () => {
    expect(encodeUtf8('é😀a')).toEqual([...new TextEncoder().encode('é😀a')]);
    fc.assert(fc.property(anyString, (s) => decodeUtf8(encodeUtf8(s)) === s));
  });
  it('turns malformed bytes into U+FFFD', () => {
    expect(decodeUtf8([0x61, 0xc3])).toBe('a\ufffd');
    expect(decodeUtf8([0xff, 0x62])).toBe('\ufffdb');
  });
});

describe('character tokenizer', () => {
  const tok = trainTokenizer(spec('character'), corpus);
  it('reserves <pad> <unk> <s> </s> as ids 0-3', () => {
    expect(tok.vocabulary.tokens.slice(0, 4)).toEqual([...RESERVED_TOKENS]);
    expect(tok.encode('the')).toEqual(['t', 'h', 'e'].map((c) => tok.vocabulary.id(c)));
  });
  it('round-trips any string through tokens and ids, unseen characters included', () => {
    fc.assert(
      fc.property(anyString, (s) => tok.detokenize(tok.tokenize(s)) === s && tok.decode(tok.encode(s)) === s),
      { numRuns: 300 },
    );
    expect(tok.tokenize('Ω')).toEqual(['<u>', '<x0>', '<x0>', '<x0>', '<x3>', '<xa>', '<x9>']);
  });
  it('applies minFrequency and maxSize', () => {
    const small = trainTokenizer(spec('character', { minFrequency: 5 }), corpus);
    expect(small.vocabulary.has('e')).toBe(true);
    expect(small.vocabulary.has('東')).toBe(false);
    expect(trainTokenizer(spec('character', { maxSize: 25 }), corpus).vocabulary.size).toBe(25);
  });
  it('reloads from the saved token list with the same ids', () => {
    const again = loadTokenizer(tok.spec, tok.vocabulary.tokens);
    expect(again.encode(corpus[3]!)).toEqual(tok.encode(corpus[3]!));
  });
});

describe('subword (byte-level BPE) tokenizer', () => {
  const text = Array.from({ length: 30 }, (_, i) => `${corpus[i % corpus.length]} number ${i}`);
  const tok = trainTokenizer(spec('subword', { maxSize: 320 }), text);
  it('learns frequent merges first and compresses text', () => {
    expect(tok.spec.merges?.length).toBeGreaterThan(10);
    expect(tok.vocabulary.size).toBeLessThanOrEqual(320);
    expect(tok.tokenize(' the').length).toBe(1);
    expect(tok.encode(corpus[0]!).length).toBeLessThan(corpus[0]!.length / 2);
  });
  it('round-trips any string, lone surrogates included', () => {
    fc.assert(
      fc.property(anyString, (s) => tok.detokenize(tok.tokenize(s)) === s && tok.decode(tok.encode(s)) === s),
      { numRuns: 300 },
    );
  });
  it('is deterministic and reloads from spec + vocabulary', () => {
    const again = trainTokenizer(spec('subword', { maxSize: 320 }), text);
    expect(again.spec.merges).toEqual(tok.spec.merges);
    const loaded = loadTokenizer(tok.spec, tok.vocabulary.tokens);
    expect(loaded.encode('the lazy café')).toEqual(tok.encode('the lazy café'));
  });
  it('shows byte tokens readably', () => {
    expect(tok.display(tok.tokenize(' the')[0]!)).toBe(' the');
    expect(tok.display(String.fromCharCode(0xc3))).toBe('<0xC3>');
  });
  it('matches a hand-worked BPE example', () => {
    // Wikipedia's BPE example: aaabdaaabac -> ZabdZabac (Z=aa) -> ZYdZYac (Y=ab) -> XdXac (X=ZY).
    const merges = trainBpe(['aaabdaaabac'], { maxMerges: 3 });
    expect(merges).toEqual([
      ['a', 'a'],
      ['a', 'b'],
      ['aa', 'ab'],
    ]);
  });
});

describe('word tokenizer', () => {
  it('splits by the documented rule', () => {
    expect(splitWords("Don't stop — it's well-known: 3-2!")).toEqual([
      "Don't",
      'stop',
      '—',
      "it's",
      'well-known',
      ':',
      '3-2',
      '!',
    ]);
    expect(splitWords('Hello  World', true)).toEqual(['hello', 'world']);
  });
  it('maps rare words to <unk> and joins readably', () => {
    const tok = trainTokenizer(spec('word', { lowercase: true, minFrequency: 2 }), corpus);
    expect(tok.tokenize('The fox ran.')).toEqual(['the', '<unk>', '<unk>', '.']);
    expect(tok.decode(tok.encode('the the.'))).toBe('the the.');
  });
});
