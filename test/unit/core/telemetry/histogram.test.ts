// The histogram a telemetry snapshot carries: counts against torch.histc on the same float32 values
// (test/fixtures/torch/histogram, scripts/reference/fixtures_histogram.py), bin edges, NaN and ±Infinity
// counted apart, flat and empty tensors, and the event schema that carries them.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TelemetryEventSchema, parseTelemetryEvent } from '../../../../core/telemetry/events.js';
import { binEdges, histogramOf, HistogramSchema } from '../../../../core/telemetry/histogram.js';

const dir = fileURLToPath(new URL('../../../fixtures/torch/histogram/', import.meta.url));
const fixtures = readdirSync(dir).map(
  (f) =>
    JSON.parse(readFileSync(dir + f, 'utf8')) as {
      name: string;
      bins: number;
      values: number[];
      counts: number[];
      mean: number;
      std: number;
    },
);

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('histogramOf', () => {
  it('has reference fixtures to check against', () => {
    expect(fixtures.map((f) => f.name).sort()).toEqual(['heavy_tail', 'normal', 'sigmoid', 'uniform']);
  });

  for (const f of fixtures) {
    it(`counts like torch.histc: ${f.name} (${f.values.length} values, ${f.bins} bins)`, () => {
      const h = histogramOf(Float32Array.from(f.values), f.bins);
      expect(h.counts).toEqual(f.counts);
      expect(h.low).toBe(Math.min(...f.values));
      expect(h.high).toBe(Math.max(...f.values));
      expect(h.mean).toBeCloseTo(f.mean, 6);
      expect(h.std).toBeCloseTo(f.std, 6);
      expect(sum(h.counts)).toBe(f.values.length);
      expect(h.count).toBe(f.values.length);
    });
  }

  it('uses 30 bins by default, and bin edges run evenly from low to high', () => {
    const h = histogramOf([0, 3, 1.5, 2.9, 0.1]);
    expect(h.counts).toHaveLength(30);
    const edges = binEdges(h);
    expect(edges).toHaveLength(31);
    expect(edges[0]).toBe(0);
    expect(edges[30]).toBe(3);
    expect(edges[10]).toBeCloseTo(1, 12);
    // 0 and 0.1 in the first bin [0, 0.1) and second [0.1, 0.2); 1.5
    // opens bin 15; the maximum closes the last.
    expect(h.counts[0]).toBe(1);
    expect(h.counts[1]).toBe(1);
    expect(h.counts[15]).toBe(1);
    expect(h.counts[29]).toBe(2); // 2.9 and 3
  });

  it('counts NaN and ±Infinity apart and bins only the finite values', () => {
    const h = histogramOf([NaN, 1, Infinity, 2, -Infinity, NaN, 3], 4);
    expect(h).toMatchObject({ low: 1, high: 3, count: 7, nan: 2, infinite: 2, mean: 2 });
    expect(h.counts).toEqual([1, 0, 1, 1]);
    expect(sum(h.counts) + h.nan + h.infinite).toBe(h.count);
    expect(h.std).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });

  it('a flat tensor sits in the middle bin of [v − 0.5, v + 0.5]; nothing finite gives empty bins', () => {
    const flat = histogramOf(new Float32Array(8).fill(1), 5);
    expect(flat).toMatchObject({ low: 0.5, high: 1.5, counts: [0, 0, 8, 0, 0], std: 0 });
    const none = histogramOf([NaN, Infinity], 3);
    expect(none).toMatchObject({ low: 0, high: 1, counts: [0, 0, 0], count: 2, mean: null, std: null });
    const empty = histogramOf([], 3);
    expect(empty).toMatchObject({ counts: [0, 0, 0], count: 0, nan: 0, infinite: 0, mean: null });
  });

  it('refuses a bin count that is not a positive whole number', () => {
    expect(() => histogramOf([1], 0)).toThrow(/at least 1 bin, not 0/);
    expect(() => histogramOf([1], 2.5)).toThrow(/not 2.5/);
  });

  it('is valid against its schema and survives JSON (no NaN can leak into a history line)', () => {
    const h = histogramOf([NaN, -1, 0.5, 2]);
    expect(HistogramSchema.parse(JSON.parse(JSON.stringify(h)))).toEqual(h);
  });
});

describe('histogram event', () => {
  const event = {
    v: 1,
    time: 1,
    type: 'histogram',
    epoch: 3,
    step: 30,
    weights: [{ layer: 'lstm', weight: 'lstm/kernel', histogram: histogramOf([0.1, -0.2, 0.3]) }],
    activations: [{ layer: 'lstm', histogram: histogramOf([0.5, 0.6]) }],
    example: { index: 0, split: 'validation' },
  };

  it('parses as part of the telemetry union', () => {
    const parsed = TelemetryEventSchema.parse(event);
    expect(parsed.type).toBe('histogram');
  });

  it('names the field that is wrong', () => {
    const bad = {
      ...event,
      weights: [{ ...event.weights[0], histogram: { ...event.weights[0]!.histogram, counts: [1, -2] } }],
    };
    const result = parseTelemetryEvent(bad);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/weights\.0\.histogram\.counts\.1/);
    const noActivations = parseTelemetryEvent({ ...event, activations: undefined });
    expect(!noActivations.ok && noActivations.message).toMatch(/activations/);
  });
});
