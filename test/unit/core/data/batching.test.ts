import { describe, expect, it } from 'vitest';
import { bucketingSavings, makeBatches, padBatch, paddingReport } from '../../../../core/data/batching.js';
import {
  createEncoder,
  languageModelWindows,
  prepareDataset,
  type EncodedExample,
} from '../../../../core/data/encode.js';
import { createRandom } from '../../../../core/data/random.js';
import { DatasetSpecSchema } from '../../../../core/data/spec.js';
import { splitExamples } from '../../../../core/data/split.js';

const gen = { kind: 'generator', name: 'test' } as const;

describe('padBatch', () => {
  it('pads classification tokens with 0 and masks real steps', () => {
    const spec = prepareDataset(DatasetSpecSchema.parse({ task: 'classification', source: gen }), [
      { text: 'ab', label: 'pos' },
      { text: 'abba', label: 'neg' },
    ]);
    expect(spec.labels).toEqual(['neg', 'pos']);
    const enc = createEncoder(spec);
    const b = padBatch('classification', [
      enc.encode({ text: 'ab', label: 'pos' }),
      enc.encode({ text: 'abba', label: 'neg' }),
    ]);
    const a = enc.tokenizer.vocabulary.id('a');
    const bb = enc.tokenizer.vocabulary.id('b');
    expect(b.tokens?.shape).toEqual([2, 4]);
    expect([...b.tokens!.data]).toEqual([a, bb, 0, 0, a, bb, bb, a]);
    expect([...b.mask!.data]).toEqual([1, 1, 0, 0, 1, 1, 1, 1]);
    expect([...b.labels!.data]).toEqual([1, 0]);
  });

  it('frames seq2seq targets with <s> and </s>', () => {
    const spec = prepareDataset(DatasetSpecSchema.parse({ task: 'seq2seq', source: gen }), [
      { source: '1+2', target: '3' },
    ]);
    const enc = createEncoder(spec);
    const b = padBatch('seq2seq', [
      enc.encode({ source: '1+2', target: '3' }),
      enc.encode({ source: '2', target: '33' }),
    ]);
    const three = enc.tokenizer.vocabulary.id('3');
    expect(b.source?.shape).toEqual([2, 3]);
    expect([...b.targetIn!.data]).toEqual([2, three, 0, 2, three, three]);
    expect([...b.targetOut!.data]).toEqual([three, 3, 0, three, three, 3]);
    expect([...b.targetMask!.data]).toEqual([1, 1, 0, 1, 1, 1]);
    expect([...b.sourceMask!.data]).toEqual([1, 1, 1, 1, 0, 0]);
  });

  it('aligns tagging and truncates at maxLength', () => {
    const spec = prepareDataset(DatasetSpecSchema.parse({ task: 'tagging', source: gen, maxLength: 2 }), [
      { tokens: ['the', 'dog', 'ran'], tags: ['DET', 'NOUN', 'VERB'] },
    ]);
    const enc = createEncoder(spec);
    const e = enc.encode({ tokens: ['the', 'dog', 'ran'], tags: ['DET', 'NOUN', 'VERB'] });
    expect(e.truncated).toBe(true);
    expect([...e.steps!]).toEqual([0, 1]);
    expect(() => enc.encode({ tokens: ['a'], tags: [], line: 7 })).toThrow(/line 7: 1 tokens but 0 tags/);
  });

  it('makes language-model windows shifted by one, and regression features', () => {
    const w = languageModelWindows([5, 6, 7, 8, 9], 2);
    expect(w.map((e) => [...e.tokens!])).toEqual([
      [5, 6],
      [7, 8],
    ]);
    expect(w.map((e) => [...e.steps!])).toEqual([
      [6, 7],
      [8, 9],
    ]);
    const spec = prepareDataset(DatasetSpecSchema.parse({ task: 'regression', source: gen }), []);
    const enc = createEncoder(spec);
    const b = padBatch('regression', [
      enc.encode({
        features: [
          [0.5, 1],
          [0.2, 0],
        ],
        values: [0.5],
      }),
    ]);
    expect(b.features?.shape).toEqual([1, 2, 2]);
    expect([...b.targets!.data]).toEqual([0.5]);
  });
});

describe('bucketing', () => {
  it('cuts padded positions by at least half against random batching', () => {
    // A corpus of mixed lengths: 2000 examples, lengths 1..200 (long-tailed, like real sentences).
    const r = createRandom(11);
    const examples: EncodedExample[] = Array.from({ length: 2000 }, () => {
      const n = 1 + Math.floor(200 * r.next() ** 2);
      return { tokens: new Int32Array(n).fill(5), label: 0, length: n, truncated: false };
    });
    const opts = { task: 'classification' as const, batchSize: 32 };
    const random = paddingReport(
      makeBatches(examples, { ...opts, bucketing: { enabled: false, pool: 1 }, random: createRandom(1) }),
    );
    const bucketed = paddingReport(
      makeBatches(examples, { ...opts, bucketing: { enabled: true, pool: 50 }, random: createRandom(1) }),
    );
    console.log(
      `padded positions: random ${random.padded} (${(100 * random.fraction).toFixed(1)}%), ` +
        `bucketed ${bucketed.padded} ` +
        `(${(100 * bucketed.fraction).toFixed(1)}%), ` +
        `cut by ${(100 * (1 - bucketed.padded / random.padded)).toFixed(1)}%`,
    );
    expect(bucketed.real).toBe(random.real);
    expect(bucketed.padded).toBeLessThanOrEqual(random.padded / 2);
    // The same figures from lengths alone (what the Data tab shows).
    const savings = bucketingSavings(
      examples.map((e) => e.length),
      { batchSize: 32, pool: 50, seed: 1 },
    );
    expect([savings.randomPadded, savings.bucketedPadded]).toEqual([random.padded, bucketed.padded]);
  });

  it('keeps every example exactly once and repeats for the same seed', () => {
    const examples: EncodedExample[] = Array.from({ length: 103 }, (_, i) => ({
      tokens: Int32Array.of(i + 1),
      label: 0,
      length: 1 + (i % 9),
      truncated: false,
    }));
    const run = () =>
      makeBatches(examples, {
        task: 'classification',
        batchSize: 10,
        bucketing: { enabled: true, pool: 3 },
        random: createRandom(5),
      });
    const seen = run().flatMap((b) =>
      [...b.tokens!.data].filter((_, i) => b.mask!.data[i] === 1 && i % b.tokens!.shape[1]! === 0),
    );
    expect(seen.sort((a, b) => a - b)).toEqual(examples.map((_, i) => i + 1));
    expect(run().map((b) => [...b.tokens!.data])).toEqual(run().map((b) => [...b.tokens!.data]));
  });
});

describe('splitExamples', () => {
  it('splits by proportion with a seed, stratified by class', () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ i, label: i < 90 ? 'a' : 'b' }));
    const s = splitExamples(items, { validation: 0.1, test: 0.2, seed: 3 }, (x) => x.label);
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([70, 10, 20]);
    expect(s.test.filter((x) => x.label === 'b').length).toBe(2);
    expect(new Set([...s.train, ...s.validation, ...s.test].map((x) => x.i)).size).toBe(100);
    expect(splitExamples(items, { validation: 0.1, test: 0.2, seed: 3 }).test).toEqual(
      splitExamples(items, { validation: 0.1, test: 0.2, seed: 3 }).test,
    );
  });
});
