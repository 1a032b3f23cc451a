// Builds graphs tersely for tests: nodes as [id, kind, params], wires as 'a.out -> b.in'.
import type { Graph } from '../../../../core/graph/types.js';

export function graph(nodes: [string, string, Record<string, unknown>?][], wires: string[]): Graph {
  return {
    nodes: nodes.map(([id, kind, params]) => ({ id, kind, params: params ?? {} })),
    edges: wires.map((w, i) => {
      const [from, to] = w.split('->').map((s) => s.trim()) as [string, string];
      const [fn, fp] = from.split('.') as [string, string];
      const [tn, tp] = to.split('.') as [string, string];
      return { id: `e${i + 1}`, from: { node: fn, port: fp }, to: { node: tn, port: tp } };
    }),
  };
}

/** A small valid classifier: tokens -> embedding -> lstm -> pooling -> head. */
export function classifier(overrides: Record<string, Record<string, unknown>> = {}): Graph {
  return graph(
    [
      ['x', 'input', { role: 'tokens', ...overrides.x }],
      ['emb', 'embedding', { vocabularySize: 20, dimension: 8, ...overrides.emb }],
      ['rnn', 'lstm', { units: 16, ...overrides.rnn }],
      ['pool', 'pooling', { mode: 'mean', ...overrides.pool }],
      ['out', 'head', { activation: 'softmax', units: 3, ...overrides.out }],
    ],
    ['x.out -> emb.in', 'emb.out -> rnn.in', 'rnn.out -> pool.in', 'pool.out -> out.in'],
  );
}
