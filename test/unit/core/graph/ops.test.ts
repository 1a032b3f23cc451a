// Graph operations the canvas uses: order, fresh ids, wrap/unwrap, fit to data.
import { describe, expect, it } from 'vitest';
import { addNode, connect, fitGraphToData, freshId, removeNode, topologicalOrder, unwrapNode, validateGraph, wrapNode } from '../../../../core/graph/index.js';
import { classifier, graph } from './helpers.js';

describe('graph ops', () => {
  it('orders nodes so every wire goes forwards, and finds the cycle otherwise', () => {
    const g = classifier();
    g.nodes.reverse();
    const topo = topologicalOrder(g);
    expect(topo.ok && topo.order).toEqual(['x', 'emb', 'rnn', 'pool', 'out']);
    const loop = graph([['a', 'dense'], ['b', 'dense'], ['c', 'dense'], ['d', 'dense']], ['a.out -> b.in', 'b.out -> c.in', 'c.out -> b.in', 'c.out -> d.in']);
    const bad = topologicalOrder(loop);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && [...bad.cycle].sort()).toEqual(['b', 'c']);
  });

  it('wraps a recurrent block in bidirectional and stack, keeping id and wires, and unwraps it', () => {
    const g = classifier({ rnn: { units: 10 } });
    const bi = wrapNode(g, 'rnn', 'bidirectional', { merge: 'sum' });
    expect(bi.ok && bi.graph.nodes[2]).toEqual({ id: 'rnn', kind: 'bidirectional', params: { merge: 'sum', layer: { kind: 'lstm', params: { units: 10 } } } });
    expect(bi.ok && validateGraph(bi.graph)).toEqual([]);
    const st = wrapNode(g, 'rnn', 'stack', { layers: 3 });
    expect(st.ok && validateGraph(st.graph)).toEqual([]);
    const back = bi.ok ? unwrapNode(bi.graph, 'rnn') : undefined;
    expect(back?.ok && back.graph).toEqual(g);
    expect(wrapNode(g, 'pool', 'bidirectional')).toMatchObject({ ok: false });
  });

  it('adds, connects and removes blocks with fresh ids', () => {
    const g = classifier();
    expect(freshId(g, 'lstm')).toBe('lstm1');
    const { graph: g2, id } = addNode(g, { kind: 'dropout', params: { rate: 0.5 } });
    expect(id).toBe('dropout1');
    const g3 = connect(g2, { node: 'rnn', port: 'out' }, { node: id, port: 'in' });
    expect(g3.edges).toHaveLength(5);
    expect(removeNode(g3, id)).toEqual(g);
  });

  it('fits embeddings, heads and feature inputs to the built dataset', () => {
    const { graph: fitted, changes } = fitGraphToData(classifier(), { vocabularySize: 57, headUnits: 4 });
    expect(changes).toEqual([
      { node: 'emb', field: 'vocabularySize', from: 20, to: 57 },
      { node: 'out', field: 'units', from: 3, to: 4 },
    ]);
    expect(validateGraph(fitted, { task: 'classification', data: { vocabularySize: 57, headUnits: 4 } })).toEqual([]);
  });
});
