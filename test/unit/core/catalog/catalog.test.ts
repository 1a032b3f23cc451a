// The catalog: one entry per shared kind id, defaults, field-naming errors, and weights/shapes checked
// against hand-computed Keras numbers.
import { describe, expect, it } from 'vitest';
import {
  catalog,
  CATEGORY_ORDER,
  defaultParams,
  getLayerKind,
  paramCount,
  parseParams,
} from '../../../../core/catalog/index.js';
import type { InputShapes } from '../../../../core/catalog/index.js';

const SHARED_KINDS = [
  'input',
  'embedding',
  'elman',
  'lstm',
  'gru',
  'bidirectional',
  'stack',
  'encoder',
  'decoder',
  'attention',
  'self-attention',
  'state-space',
  'dropout',
  'pooling',
  'dense',
  'head',
  'concatenate',
  'add',
];
const seq = (f: number, time: 'time' | 'source' = 'time'): InputShapes => ({
  in: [{ kind: 'sequence', shape: ['batch', time, f] }],
});

function count(kind: string, raw: unknown, inputs: InputShapes): number {
  const parsed = parseParams(kind, raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return paramCount(getLayerKind(kind)!, parsed.params, inputs);
}

describe('catalog', () => {
  it('lists exactly the shared kind ids, each once, grouped in palette order', () => {
    expect([...catalog.map((d) => d.kind)].sort()).toEqual([...SHARED_KINDS].sort());
    const groups = catalog.map((d) => CATEGORY_ORDER.indexOf(d.category));
    expect(groups).toEqual([...groups].sort((a, b) => a - b));
    expect(groups.every((g) => g >= 0)).toBe(true);
  });

  it('gives every kind defaults, doc text, a formula hint and port labels', () => {
    for (const def of catalog) {
      expect(() => defaultParams(def.kind), def.kind).not.toThrow();
      expect(def.doc.what.length, def.kind).toBeGreaterThan(20);
      expect(def.doc.when.length, def.kind).toBeGreaterThan(20);
      expect(def.doc.formula.length, def.kind).toBeGreaterThan(10);
      expect(def.formula.length, def.kind).toBeGreaterThan(0);
      for (const port of [...def.inputs, ...def.outputs])
        expect(port.label, `${def.kind}.${port.name}`).not.toBe('');
    }
  });

  it('follows the shared param conventions', () => {
    expect(defaultParams('lstm')).toMatchObject({
      units: 64,
      returnSequences: true,
      dropout: 0,
      recurrentDropout: 0,
      unitForgetBias: true,
    });
    expect(defaultParams('gru')).toMatchObject({ resetAfter: true });
    expect(defaultParams('elman')).toMatchObject({ activation: 'tanh', identityInit: false });
    expect(defaultParams('bidirectional')).toMatchObject({
      merge: 'concat',
      layer: { kind: 'lstm', params: { units: 64, unitForgetBias: true } },
    });
    expect(defaultParams('stack')).toMatchObject({
      layers: 2,
      residual: false,
      dropout: 0,
      layer: { kind: 'lstm' },
    });
    expect(defaultParams('embedding')).toMatchObject({ oneHot: false, maskZero: true });
    expect(parseParams('bidirectional', { layer: { kind: 'gru', params: { units: 5 } } })).toMatchObject({
      ok: true,
      params: { layer: { kind: 'gru', params: { units: 5, resetAfter: true, returnSequences: true } } },
    });
  });

  it(
    'LSTM chronoMaxDelay: off (0) by default, so older projects keep unitForgetBias; ' +
      'below 3 refused naming the field',
    () => {
      expect(defaultParams('lstm')).toMatchObject({ unitForgetBias: true, chronoMaxDelay: 0 });
      expect(parseParams('lstm', { units: 8, unitForgetBias: false })).toMatchObject({
        ok: true,
        params: { unitForgetBias: false, chronoMaxDelay: 0 },
      });
      expect(parseParams('lstm', { chronoMaxDelay: 66 })).toMatchObject({
        ok: true,
        params: { chronoMaxDelay: 66 },
      });
      for (const bad of [1, 2, -1, 2.5]) {
        const parsed = parseParams('lstm', { chronoMaxDelay: bad });
        expect(!parsed.ok && parsed.problems[0]?.field, String(bad)).toBe('chronoMaxDelay');
      }
      const inner = parseParams('bidirectional', { layer: { kind: 'lstm', params: { chronoMaxDelay: 2 } } });
      expect(!inner.ok && inner.problems[0]?.field).toBe('layer.params.chronoMaxDelay');
    },
  );

  it('names the field in every params error', () => {
    const bad = parseParams('lstm', { units: 0, unit: 3 });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['units', '(top level)']));
    expect(bad.problems.find((p) => p.field === '(top level)')?.message).toContain('"unit"');
    const nested = parseParams('stack', { layer: { kind: 'lstm', params: { units: 'many' } } });
    expect(!nested.ok && nested.problems[0]?.field).toBe('layer.params.units');
    const wrapper = parseParams('bidirectional', { layer: { kind: 'dense' } });
    expect(!wrapper.ok && wrapper.problems[0]).toMatchObject({ field: 'layer.kind' });
    expect(parseParams('nope', {})).toMatchObject({ ok: false, problems: [{ field: 'kind' }] });
  });

  it('counts recurrent weights in the Keras layout (hand-computed)', () => {
    // Keras LSTM(32) on 10 features: 4·(10·32 + 32·32 + 32) = 5504.
    expect(count('lstm', { units: 32 }, seq(10))).toBe(5504);
    // Keras GRU(32, reset_after=True): 3·(10·32 + 32·32) + 2·3·32 = 4224; reset_after=False: 4128.
    expect(count('gru', { units: 32 }, seq(10))).toBe(4224);
    expect(count('gru', { units: 32, resetAfter: false }, seq(10))).toBe(4128);
    // SimpleRNN(32): 10·32 + 32·32 + 32 = 1376.
    expect(count('elman', { units: 32 }, seq(10))).toBe(1376);
    expect(count('bidirectional', { layer: { kind: 'elman', params: { units: 32 } } }, seq(10))).toBe(
      2 * 1376,
    );
    // Stack of 3 LSTM(8) on 4 features: 4·(4·8+64+8) + 2·4·(8·8+64+8).
    expect(count('stack', { layers: 3, layer: { kind: 'lstm', params: { units: 8 } } }, seq(4))).toBe(
      4 * 104 + 2 * 4 * 136,
    );
    expect(
      count(
        'embedding',
        { vocabularySize: 100, dimension: 8 },
        { in: [{ kind: 'tokens', shape: ['batch', 'time'] }] },
      ),
    ).toBe(800);
    expect(
      count(
        'embedding',
        { vocabularySize: 100, oneHot: true },
        { in: [{ kind: 'tokens', shape: ['batch', 'time'] }] },
      ),
    ).toBe(0);
  });

  it('infers shapes per kind', () => {
    const lstm = getLayerKind('lstm')!;
    const p = parseParams('lstm', { units: 7, returnSequences: false });
    expect(p.ok && lstm.inferShapes(p.params, seq(3), {})).toEqual({
      ok: true,
      outputs: {
        out: { kind: 'vector', shape: ['batch', 7] },
        state: { kind: 'state', shape: ['batch', 7], cell: true }, // an LSTM's state carries c
      },
    });
    const bi = getLayerKind('bidirectional')!;
    const bp = parseParams('bidirectional', { merge: 'sum', layer: { kind: 'gru', params: { units: 6 } } });
    expect(bp.ok && bi.inferShapes(bp.params, seq(3, 'source'), {})).toMatchObject({
      ok: true,
      outputs: { out: { shape: ['batch', 'source', 6] } },
    });
    const emb = getLayerKind('embedding')!;
    expect(emb.inferShapes(defaultParams('embedding'), seq(3), {})).toMatchObject({
      ok: false,
      problem: { port: 'in' },
    });
    const input = getLayerKind('input')!;
    expect(input.inferShapes({ role: 'features' }, {}, {})).toMatchObject({
      ok: false,
      problem: { field: 'features' },
    });
    expect(input.inferShapes({ role: 'features' }, {}, { features: 4 })).toMatchObject({
      ok: true,
      outputs: { out: { shape: ['batch', 'time', 4] } },
    });
    const sa = getLayerKind('self-attention')!;
    expect(sa.inferShapes(defaultParams('self-attention'), seq(10), {})).toMatchObject({
      ok: false,
      problem: { code: 'heads-mismatch', field: 'heads' },
    });
  });
});
