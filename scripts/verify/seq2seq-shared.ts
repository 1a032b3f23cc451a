// Shared by the seq2seq verify scripts (run alone it only checks its own codec, so `npm run verify` can
// run it harmlessly): a character codec over the reserved ids of core/data (0 pad, 2 start, 3 end) and
// argument parsing.
import { BOS, EOS } from '../../core/data/tokenizers/vocabulary.js';
import type { Example } from '../../core/data/example.js';
import type { EncodedExample } from '../../core/data/encode.js';

export interface CharCodec {
  size: number;
  start: number;
  end: number;
  encode(text: string): Int32Array;
  decode(ids: readonly number[]): string;
}

export function charCodec(texts: readonly string[]): CharCodec {
  const chars = [...new Set(texts.join(''))].sort();
  const ids = new Map(chars.map((c, i) => [c, i + 4]));
  return {
    size: chars.length + 4,
    start: BOS,
    end: EOS,
    encode: (text) => Int32Array.from([...text], (c) => ids.get(c) ?? 1),
    decode: (list) => list.filter((i) => i >= 4).map((i) => chars[i - 4]).join(''),
  };
}

export function encodePairs(examples: readonly Example[], codec: CharCodec): EncodedExample[] {
  return examples.map((e) => {
    const source = codec.encode(e.source ?? '');
    const target = codec.encode(e.target ?? '');
    return { source, target, length: Math.max(source.length, target.length + 1), truncated: false };
  });
}

export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

if (process.argv[1]?.endsWith('seq2seq-shared.ts')) {
  const codec = charCodec(['abc']);
  const ok = codec.decode([...codec.encode('cab')]) === 'cab';
  console.log(`seq2seq-shared: character codec round trip ${ok ? 'ok' : 'BROKEN'}`);
  process.exitCode = ok ? 0 : 1;
}
