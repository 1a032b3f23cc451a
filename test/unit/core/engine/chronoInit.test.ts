// LSTM bias initialisation: unitForgetBias (forget gate 1) and chrono (Tallec & Ollivier 2018: forget bias
// log u, u ~ U[1, T−1], input bias −that), as initialValue computes it and as a compiled graph gets it,
// including the layer inside a bidirectional wrapper; seeded, so the same seed gives the same biases.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { initialValue, seeded } from '../../../../core/engine/init.js';
import { compileGraph } from '../../../../core/engine/compile.js';
import type { Graph } from '../../../../core/graph/types.js';
import { chain } from '../../../fixtures/graphs.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const H = 2000;
/** The [4H] bias split into its Keras gate blocks i, f, c, o. */
function gates(v: Float32Array, h: number) {
  return { i: v.slice(0, h), f: v.slice(h, 2 * h), c: v.slice(2 * h, 3 * h), o: v.slice(3 * h) };
}

describe('LSTM bias initialisation', () => {
  it('puts the forget gate at 1 with unitForgetBias and leaves every bias at 0 without it', () => {
    const one = gates(initialValue('lstm/bias', [4 * H], seeded(1), { cell: 'lstm', units: H }), H);
    expect([...new Set(one.f)]).toEqual([1]);
    expect([...new Set([...one.i, ...one.c, ...one.o])]).toEqual([0]);
    const zero = initialValue('lstm/bias', [4 * H], seeded(1), {
      cell: 'lstm',
      units: H,
      unitForgetBias: false,
    });
    expect([...new Set(zero)]).toEqual([0]);
  });

  it(
    'chrono: forget bias log u with u uniform on [1, T−1], ' +
      'input bias its negative, others 0, over unitForgetBias',
    () => {
      const T = 58;
      const b = gates(
        initialValue('lstm/bias', [4 * H], seeded(5), {
          cell: 'lstm',
          units: H,
          unitForgetBias: true,
          chronoMaxDelay: T,
        }),
        H,
      );
      const u = Array.from(b.f, Math.exp);
      expect(Math.min(...u)).toBeGreaterThanOrEqual(1 - 1e-5);
      expect(Math.max(...u)).toBeLessThanOrEqual(T - 1 + 1e-4);
      // Uniform on [1, 57]: mean 29, sd 56/√12 ≈ 16.2, so the mean of 2000 draws is within 1.5
      // of 29 (4 sd), and each quarter of the range holds about a quarter of the draws.
      expect(Math.abs(u.reduce((a, x) => a + x, 0) / H - 29)).toBeLessThan(1.5);
      for (let q = 0; q < 4; q++) {
        const inQuarter = u.filter((x) => x >= 1 + 14 * q && x < 1 + 14 * (q + 1)).length / H;
        expect(inQuarter, `quarter ${q}`).toBeGreaterThan(0.21);
        expect(inQuarter, `quarter ${q}`).toBeLessThan(0.29);
      }
      expect(Array.from(b.i)).toEqual(Array.from(b.f, (x) => -x));
      expect([...new Set([...b.c, ...b.o])]).toEqual([0]);
    },
  );

  it('chrono is seeded: the same seed repeats the biases, another seed changes them', () => {
    const draw = (seed: number) =>
      initialValue('lstm/bias', [4 * 16], seeded(seed), { cell: 'lstm', units: 16, chronoMaxDelay: 100 });
    expect(Array.from(draw(3))).toEqual(Array.from(draw(3)));
    expect(Array.from(draw(3))).not.toEqual(Array.from(draw(4)));
  });

  it('refuses a chrono delay below 3, naming the option', () => {
    expect(() =>
      initialValue('lstm/bias', [16], seeded(1), { cell: 'lstm', units: 4, chronoMaxDelay: 2 }),
    ).toThrow(/chronoMaxDelay/);
  });

  it('leaves GRU and Elman biases alone whatever the hints say', () => {
    const gru = initialValue('gru/bias', [2, 12], seeded(1), { cell: 'gru', units: 4, chronoMaxDelay: 50 });
    expect([...new Set(gru)]).toEqual([0]);
  });
});

describe('compileGraph passes chronoMaxDelay to the LSTM bias', () => {
  const graph = (layer: [string, Record<string, unknown>]): Graph => {
    return chain([
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: 8, dimension: 4 }],
      ['rnn', layer[0], layer[1]],
      ['tags', 'head', { units: 8 }],
    ]);
  };
  const biases = (g: Graph) => {
    const model = compileGraph(g, { task: 'tagging', seed: 9 });
    const out = model.weights
      .filter((w) => w.name.endsWith('/bias') && w.name.startsWith('rnn/'))
      .map((w) => w.variable.dataSync() as Float32Array);
    model.dispose();
    return out;
  };

  it('in a plain LSTM block and in both directions of a bidirectional one', () => {
    const h = 32;
    for (const g of [
      graph(['lstm', { units: h, chronoMaxDelay: 66 }]),
      graph(['bidirectional', { layer: { kind: 'lstm', params: { units: h, chronoMaxDelay: 66 } } }]),
    ]) {
      const found = biases(g);
      expect(found.length).toBeGreaterThan(0);
      for (const v of found) {
        const b = gates(v, h);
        expect(Math.min(...b.f)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...b.f)).toBeLessThanOrEqual(Math.log(65) + 1e-5);
        expect(new Set(b.f).size).toBeGreaterThan(h / 2);
        expect(Array.from(b.i)).toEqual(Array.from(b.f, (x) => -x));
      }
    }
    // Without the option the project trains as before: forget gate 1.
    const [plain] = biases(graph(['lstm', { units: h }]));
    expect([...new Set(gates(plain!, h).f)]).toEqual([1]);
  });
});

describe('compileGraph passes the LSTM options of encoder and decoder blocks', () => {
  // Encoder and decoder wrap their recurrent layer like the bidirectional and stack blocks do: its LSTM
  // options (chrono, unitForgetBias off) must reach every layer and direction they build.
  const graph = (encoder: Record<string, unknown>, decoder: Record<string, unknown>): Graph => {
    const nodes: [string, string, Record<string, unknown>][] = [
      ['source', 'input', { role: 'source' }],
      ['sourceEmbed', 'embedding', { vocabularySize: 8, dimension: 4 }],
      ['enc', 'encoder', encoder],
      ['target', 'input', { role: 'target' }],
      ['targetEmbed', 'embedding', { vocabularySize: 8, dimension: 4 }],
      ['dec', 'decoder', decoder],
      ['next', 'head', { units: 8 }],
    ];
    const wires: [string, string, string, string][] = [
      ['source', 'out', 'sourceEmbed', 'in'],
      ['sourceEmbed', 'out', 'enc', 'in'],
      ['target', 'out', 'targetEmbed', 'in'],
      ['targetEmbed', 'out', 'dec', 'in'],
      ['enc', 'state', 'dec', 'state'],
      ['dec', 'out', 'next', 'in'],
    ];
    return {
      nodes: nodes.map(([id, kind, params]) => ({ id, kind, params })),
      edges: wires.map(([a, ap, b, bp], i) => ({
        id: `e${i}`,
        from: { node: a, port: ap },
        to: { node: b, port: bp },
      })),
    };
  };
  const biases = (g: Graph, node: string) => {
    const model = compileGraph(g, { task: 'seq2seq', seed: 3 });
    const out = model.weights
      .filter((w) => w.name.startsWith(`${node}/`) && w.name.endsWith('/bias') && !w.name.includes('bridge'))
      .map((w) => w.variable.dataSync() as Float32Array);
    model.dispose();
    return out;
  };

  it(
    'chrono in both directions of a two-layer bidirectional encoder and in the decoder; ' +
      'no forget bias when unitForgetBias is off',
    () => {
      const h = 16;
      const g = graph(
        { layer: { kind: 'lstm', params: { units: h, chronoMaxDelay: 20 } }, layers: 2, bidirectional: true },
        { layer: { kind: 'lstm', params: { units: h, unitForgetBias: false } } },
      );
      const chrono = biases(g, 'enc');
      expect(chrono).toHaveLength(4);
      for (const v of chrono) {
        const b = gates(v, h);
        expect(Math.max(...b.f)).toBeLessThanOrEqual(Math.log(19) + 1e-5);
        expect(new Set(b.f).size).toBeGreaterThan(h / 2);
        expect(Array.from(b.i)).toEqual(Array.from(b.f, (x) => -x));
      }
      const off = biases(g, 'dec');
      expect(off).toHaveLength(1);
      expect([...new Set(off[0]!)]).toEqual([0]);
    },
  );
});
