import { describe, expect, it } from 'vitest';
import { DatasetSpecSchema, TASKS, TASK_IDS, expectedHeadUnits } from '../../../../core/data/spec.js';

describe('DatasetSpecSchema', () => {
  it('fills defaults for a generator dataset', () => {
    const spec = DatasetSpecSchema.parse({
      task: 'seq2seq',
      source: { kind: 'generator', name: 'date-formats' },
    });
    expect(spec.source).toEqual({ kind: 'generator', name: 'date-formats', params: {}, seed: 1 });
    expect(spec.tokenizer.kind).toBe('character');
    expect(spec.split).toEqual({ validation: 0.1, test: 0.1, seed: 1 });
    expect(spec.bucketing.enabled).toBe(true);
  });

  it('accepts an embedded csv with columns and a saved vocabulary', () => {
    const spec = DatasetSpecSchema.parse({
      task: 'classification',
      source: { kind: 'embedded', entry: 'data/reviews.csv', format: 'csv', options: { delimiter: ';' } },
      columns: { text: 'review', label: 'stars' },
      tokenizer: { kind: 'subword', merges: [['t', 'h']] },
      vocabulary: ['<pad>', '<unk>', '<s>', '</s>', 'a'],
      labels: ['neg', 'pos'],
    });
    expect(spec.source.kind === 'embedded' && spec.source.options.header).toBe(true);
    expect(expectedHeadUnits(spec)).toBe(2);
  });

  it('names the bad field', () => {
    const r = DatasetSpecSchema.safeParse({
      task: 'translation',
      source: { kind: 'file', path: 'x.csv', format: 'csv' },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['task']);
    const s = DatasetSpecSchema.safeParse({
      task: 'regression',
      source: { kind: 'generator', name: 'adding-problem' },
      split: { validation: 0.6, test: 0.5 },
    });
    expect(s.success).toBe(false);
    expect(s.error?.issues[0]?.path).toEqual(['split']);
  });

  it('describes every task', () => {
    for (const id of TASK_IDS) {
      expect(TASKS[id].id).toBe(id);
      expect(TASKS[id].losses).toContain(TASKS[id].defaultLoss);
    }
    expect(TASKS.tagging.head.output).toBe('sequence');
    expect(TASKS.classification.head.output).toBe('vector');
    expect(TASKS['language-model'].metrics).toContain('perplexity');
    expect(TASKS.seq2seq.metrics).toContain('exactMatch');
    expect(TASKS.regression.head.activations).toEqual(['linear']);
  });
});
