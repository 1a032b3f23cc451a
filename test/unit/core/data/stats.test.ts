import { describe, expect, it } from 'vitest';
import { createEncoder, prepareDataset } from '../../../../core/data/encode.js';
import { DatasetSpecSchema } from '../../../../core/data/spec.js';
import { classBalance, datasetStats, lengthStats } from '../../../../core/data/stats.js';

describe('stats', () => {
  it('computes length statistics and a histogram', () => {
    const s = lengthStats([1, 2, 2, 3, 10]);
    expect([s.min, s.max, s.median, s.mean]).toEqual([1, 10, 2, 3.6]);
    expect(s.histogram.reduce((a, b) => a + b.count, 0)).toBe(5);
    expect(s.histogram[0]).toEqual({ from: 1, to: 1, count: 1 });
  });
  it('reports class balance and warns on imbalance', () => {
    const b = classBalance([0, 0, 0, 0, 1], ['neg', 'pos']);
    expect(b.labels).toEqual([
      { label: 'neg', count: 4, fraction: 0.8 },
      { label: 'pos', count: 1, fraction: 0.2 },
    ]);
    expect(b.balance.warning).toMatch(/imbalanced/);
    expect(classBalance([0, 0], ['a', 'b']).balance.warning).toBe('no examples of b');
  });
  it('measures vocabulary coverage with a word tokenizer', () => {
    const train = [
      { text: 'good good film', label: '1' },
      { text: 'bad film', label: '0' },
    ];
    const spec = prepareDataset(
      DatasetSpecSchema.parse({
        task: 'classification',
        source: { kind: 'generator', name: 'x' },
        tokenizer: { kind: 'word', minFrequency: 2 },
      }),
      train,
    );
    const enc = createEncoder(spec);
    const st = datasetStats(spec, train.map(enc.encode));
    expect(st.vocabulary).toEqual({ size: 6, tokens: 5, unknown: 1, coverage: 0.8 });
    expect(st.labels?.map((l) => l.count)).toEqual([1, 1]);
  });
});
