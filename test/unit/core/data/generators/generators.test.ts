import { describe, expect, it } from 'vitest';
import { GENERATORS, generateExamples } from '../../../../../core/data/generators/index.js';
import { DATE_FORMATS, isoDate, randomDate } from '../../../../../core/data/generators/date-formats.js';
import { createRandom } from '../../../../../core/data/random.js';
import { TASKS } from '../../../../../core/data/tasks.js';

describe('generators', () => {
  it('are deterministic from a seed, and the seed matters', () => {
    for (const g of GENERATORS) {
      const a = generateExamples({ name: g.name, params: { count: 20 }, seed: 9 });
      expect(generateExamples({ name: g.name, params: { count: 20 }, seed: 9 })).toEqual(a);
      expect(generateExamples({ name: g.name, params: { count: 20 }, seed: 10 })).not.toEqual(a);
      expect(a).toHaveLength(20);
      // Each example carries the columns its task needs.
      const need = TASKS[g.task].columns.required;
      const e = a[0]!;
      if (need.includes('label')) expect(e.label).toBeTypeOf('string');
      if (need.includes('tags')) expect(e.tags).toHaveLength(e.tokens!.length);
      if (need.includes('source')) expect(e.source && e.target).toBeTruthy();
    }
  });

  it('refuses bad params naming the field', () => {
    expect(() => generateExamples({ name: 'parity', params: { minLength: 9, maxLength: 3 } })).toThrow(
      "generator 'parity': params.minLength: minLength must not exceed maxLength",
    );
    expect(() => generateExamples({ name: 'copy-task', params: { delays: 3 } })).toThrow(/copy-task/);
    expect(() => generateExamples({ name: 'nope' })).toThrow(
      /unknown generator 'nope'; known: adding-problem/,
    );
  });

  it('adding problem: two marked steps, one per half, target their sum', () => {
    for (const e of generateExamples({ name: 'adding-problem', params: { count: 50, length: 10 } })) {
      const marked = e.features!.flatMap((f, t) => (f[1] === 1 ? [t] : []));
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(5);
      expect(marked[1]).toBeGreaterThanOrEqual(5);
      expect(e.values![0]).toBeCloseTo(e.features![marked[0]!]![0]! + e.features![marked[1]!]![0]!, 12);
    }
  });

  it('copy task: recall steps repeat the first symbols after the marker', () => {
    const [e] = generateExamples({ name: 'copy-task', params: { count: 1, length: 3, delay: 4 } });
    expect(e!.tokens).toHaveLength(3 + 4 + 3);
    expect(e!.tokens![6]).toBe(':');
    expect(e!.tags!.slice(7)).toEqual(e!.tokens!.slice(0, 3));
    expect(new Set(e!.tags!.slice(0, 7))).toEqual(new Set(['_']));
  });

  it('copy task as specified: 8 symbols of 8 kinds, a delay of 50, the marker last in the delay', () => {
    const examples = generateExamples({
      name: 'copy-task',
      params: { count: 2000, symbols: 8, length: 8, delay: 50 },
    });
    const counts = new Map<string, number>();
    for (const e of examples) {
      expect(e.tokens).toHaveLength(8 + 50 + 8);
      expect(e.tokens!.indexOf(':')).toBe(8 + 50 - 1);
      expect(e.tokens!.filter((t) => t === ':')).toHaveLength(1);
      expect(new Set(e.tokens!.slice(8).filter((t) => t !== ':'))).toEqual(new Set(['_']));
      expect(e.tags!.slice(8 + 50)).toEqual(e.tokens!.slice(0, 8));
      for (const s of e.tokens!.slice(0, 8)) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    // Exactly the first 8 letters, each drawn uniformly: 16000 draws, 2000 expected per kind (σ ≈ 42).
    expect([...counts.keys()].sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
    for (const n of counts.values()) expect(Math.abs(n - 2000)).toBeLessThan(250);
  });

  it('parity and digit addition are correct', () => {
    for (const e of generateExamples({ name: 'parity', params: { count: 100 } })) {
      const ones = [...e.text!].filter((c) => c === '1').length;
      expect(e.label).toBe(ones % 2 ? 'odd' : 'even');
    }
    for (const e of generateExamples({ name: 'digit-addition', params: { count: 100, maxDigits: 4 } })) {
      const [a, b] = e.source!.split('+').map(Number);
      expect(Number(e.target)).toBe(a! + b!);
    }
  });

  it('date formats: twenty formats, every written date means exactly one ISO date', () => {
    expect(DATE_FORMATS).toHaveLength(20);
    const r = createRandom(4);
    const meaning = new Map<string, string>();
    const ambiguous: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const d = randomDate(r);
      for (const f of DATE_FORMATS) {
        const text = f(d);
        const iso = isoDate(d);
        if ((meaning.get(text) ?? iso) !== iso) ambiguous.push(`"${text}" = ${meaning.get(text)} and ${iso}`);
        meaning.set(text, iso);
      }
    }
    expect(ambiguous).toEqual([]);
    const march7 = { y: 2021, m: 3, d: 7, weekday: 0 };
    expect(DATE_FORMATS.map((f) => f(march7))).toContain('Sunday, March 7, 2021');
    expect(DATE_FORMATS.map((f) => f(march7))).toContain('the 7th of March, 2021');
    const [e] = generateExamples({ name: 'date-formats', params: { count: 1 } });
    expect(e!.target).toMatch(/^(19[5-9]\d|20[0-4]\d)-\d\d-\d\d$/);
  });

  it('tagging grammar uses ambiguous words in both roles; sentiment is balanced and uses negation', () => {
    const tagged = generateExamples({ name: 'tagging-grammar', params: { count: 500 } });
    const roles = new Set(
      tagged.flatMap((e) => e.tokens!.flatMap((t, i) => (t === 'watch' ? [e.tags![i]] : []))),
    );
    expect(roles).toEqual(new Set(['NOUN', 'VERB']));
    const reviews = generateExamples({ name: 'sentiment', params: { count: 1000 } });
    const positive = reviews.filter((e) => e.label === 'positive').length;
    expect(positive).toBeGreaterThan(400);
    expect(positive).toBeLessThan(600);
    expect(
      reviews.some((e) => e.text!.includes('not bad') && e.label === 'positive' && !e.text!.includes('but')),
    ).toBe(true);
  });
});
