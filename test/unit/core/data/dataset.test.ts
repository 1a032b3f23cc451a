import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../../../core/data/dataset.js';
import { generateExamples } from '../../../../core/data/generators/index.js';
import { DatasetScan } from '../../../../core/data/scan.js';
import { DatasetSpecSchema } from '../../../../core/data/spec.js';

describe('buildDataset', () => {
  it('learns the vocabulary from the training split only, class names from all', () => {
    const examples = [
      ...Array.from({ length: 18 }, (_, i) => ({ text: `common ${i % 3}`, label: 'a', line: i + 2 })),
      { text: 'rare', label: 'b', line: 20 },
      { text: 'rare', label: 'b', line: 21 },
    ];
    const spec = DatasetSpecSchema.parse({
      task: 'classification',
      source: { kind: 'generator', name: 'x' },
      tokenizer: { kind: 'word' },
      split: { validation: 0.5, test: 0, seed: 2 },
    });
    const built = buildDataset(spec, examples);
    expect(built.spec.labels).toEqual(['a', 'b']);
    expect(built.train.length + built.validation.length).toBe(20);
    // One 'b' in each part (stratified); the word of the validation-only example is still known, as it
    // also appears in the training 'b' example.
    expect(built.validation.filter((e) => e.label === 1)).toHaveLength(1);
    expect(built.spec.vocabulary).toContain('common');
  });

  it('reports examples that cannot be encoded, with their line', () => {
    const spec = DatasetSpecSchema.parse({
      task: 'tagging',
      source: { kind: 'generator', name: 'x' },
      split: { validation: 0, test: 0 },
    });
    const built = buildDataset(spec, [
      { tokens: ['a', 'b'], tags: ['X', 'Y'], line: 1 },
      { tokens: ['a'], tags: ['X', 'Y'], line: 2 },
    ]);
    expect(built.train).toHaveLength(1);
    expect(built.errors).toEqual([
      { line: 2, message: 'line 2: 1 tokens but 2 tags: they must align one to one' },
    ]);
  });
});

describe('DatasetScan', () => {
  it('counts every example exactly while sampling, and previews the first rows', () => {
    const spec = DatasetSpecSchema.parse({
      task: 'classification',
      source: { kind: 'generator', name: 'sentiment' },
      tokenizer: { kind: 'word', lowercase: true },
    });
    const examples = generateExamples({ name: 'sentiment', params: { count: 25_000 }, seed: 3 });
    const scan = new DatasetScan(spec);
    examples.forEach((e) => scan.addExample(e));
    const { spec: built, stats, preview } = scan.finish();
    expect(stats.examples).toBe(25_000);
    expect(stats.sampled).toBe(20_000);
    expect(stats.labels?.reduce((a, l) => a + l.count, 0)).toBe(25_000);
    expect(stats.labels?.find((l) => l.label === 'positive')?.count).toBe(
      examples.filter((e) => e.label === 'positive').length,
    );
    expect(built.labels).toEqual(['negative', 'positive']);
    expect(preview).toHaveLength(20);
    expect(preview[0]!.text).toEqual(
      built.vocabulary &&
        examples[0]!
          .text!.toLowerCase()
          .match(/[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu),
    );
  });

  it('scans a long document in chunks: words across chunk breaks are counted once', () => {
    const spec = DatasetSpecSchema.parse({
      task: 'language-model',
      source: { kind: 'file', path: 'x.txt', format: 'text' },
      tokenizer: { kind: 'word' },
      maxLength: 4,
    });
    const scan = new DatasetScan(spec);
    for (const chunk of ['the qu', 'ick brown fox jum', 'ps over the lazy dog']) scan.addText(chunk);
    const { spec: built, stats } = scan.finish();
    expect(built.vocabulary).toContain('quick');
    expect(built.vocabulary).toContain('jumps');
    expect(built.vocabulary).not.toContain('qu');
    expect(stats.examples).toBe(Math.ceil((9 - 1) / 4));
  });
});
