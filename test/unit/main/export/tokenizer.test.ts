// The exported data.py tokenizes as the studio does: character (with escapes for unseen characters),
// word (the studio's splitting rule, <unk>) and byte-level BPE (chunks, merges, byte display).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainTokenizer } from '../../../../core/data/tokenizers/index.js';
import type { TokenizerSpec } from '../../../../core/data/spec.js';
import { hasTorch, PYTHON } from './torch.js';

const RUNTIME = new URL('../../../../main/export/pytorch/runtime/', import.meta.url).pathname;
const SCRIPT = new URL('../../../../scripts/reference/export_tokenizer.py', import.meta.url).pathname;

const corpus = [
  "The quick brown fox doesn't jump over the well-known lazy dog.",
  'Prices rose 3-2 in 2021; naïve café owners said “wow”!',
  'Tabs\tand  double  spaces,\nnew lines and emoji 🙂 too.',
  'Numbers 12345 and 3.14, symbols #@$% and (brackets) [ok].',
];
const texts = [
  "The lazy fox doesn't sleep.",
  'Unseen: Ωmega ж 🙂 東京!',
  '  leading spaces,  two  gaps\n\nand lines ',
  'well-known 3-2 café',
  '',
];

describe.runIf(hasTorch)('data.py tokenizers match the studio', () => {
  const specs: TokenizerSpec[] = [
    { kind: 'character', lowercase: false, minFrequency: 1 },
    { kind: 'word', lowercase: true, minFrequency: 1 },
    { kind: 'subword', lowercase: false, minFrequency: 1, maxSize: 330 },
  ];
  it('on encode, displayed tokens and decode', () => {
    const tokenizers = specs.map((spec) => trainTokenizer(spec, corpus));
    const cases = tokenizers.map((t) => ({ spec: t.spec, vocabulary: t.vocabulary.tokens, texts }));
    const dir = mkdtempSync(path.join(tmpdir(), 'rnn-tok-'));
    writeFileSync(path.join(dir, 'cases.json'), JSON.stringify(cases));
    const python = JSON.parse(
      execFileSync(PYTHON, [SCRIPT, RUNTIME, path.join(dir, 'cases.json')], { encoding: 'utf8' }),
    ) as { ids: number[]; tokens: string[]; decoded: string }[][];
    tokenizers.forEach((t, c) => {
      texts.forEach((text, i) => {
        const ids = t.encode(text);
        const where = `${t.spec.kind} on ${JSON.stringify(text)}`;
        expect(python[c]![i]!.ids, where).toEqual(ids);
        expect(python[c]![i]!.tokens, where).toEqual(t.tokenize(text).map((s) => t.display(s)));
        expect(python[c]![i]!.decoded, where).toBe(t.decode(ids));
      });
    });
  });
});
