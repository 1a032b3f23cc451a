// Graph operations the canvas uses: order, fresh ids, wrap/unwrap, fit to data.
import { describe, expect, it } from 'vitest';
import {
  addNode,
  connect,
  copyNodes,
  fitGraphToData,
  freshId,
  pasteNodes,
  removeNodes,
  setLabel,
  topologicalOrder,
  unwrapNode,
  validateGraph,
  wrapNode,
} from '../../../../core/graph/index.js';
import { defaultParams } from '../../../../core/catalog/index.js';
import { classifier, graph } from './helpers.js';

describe('graph ops', () => {
  it('orders nodes so every wire goes forwards, and finds the cycle otherwise', () => {
    const g = classifier();
    g.nodes.reverse();
    const topo = topologicalOrder(g);
    expect(topo.ok && topo.order).toEqual(['x', 'emb', 'rnn', 'pool', 'out']);
    const loop = graph(
      [
        ['a', 'dense'],
        ['b', 'dense'],
        ['c', 'dense'],
        ['d', 'dense'],
      ],
      ['a.out -> b.in', 'b.out -> c.in', 'c.out -> b.in', 'c.out -> d.in'],
    );
    const bad = topologicalOrder(loop);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && [...bad.cycle].sort()).toEqual(['b', 'c']);
  });

  it('wraps a recurrent block in bidirectional and stack, keeping id and wires, and unwraps it', () => {
    const g = classifier({ rnn: { units: 10 } });
    const bi = wrapNode(g, 'rnn', 'bidirectional', { merge: 'sum' });
    expect(g.nodes[2]!.kind).toBe('lstm'); // the input graph is left as it was
    expect(bi.ok && bi.graph.nodes[2]).toEqual({
      id: 'rnn',
      kind: 'bidirectional',
      params: { merge: 'sum', layer: { kind: 'lstm', params: { units: 10 } } },
    });
    expect(bi.ok && validateGraph(bi.graph)).toEqual([]);
    const st = wrapNode(g, 'rnn', 'stack', { layers: 3 });
    expect(st.ok && validateGraph(st.graph)).toEqual([]);
    const back = bi.ok ? unwrapNode(bi.graph, 'rnn') : undefined;
    expect(back?.ok && back.graph).toEqual(g);
    expect(wrapNode(g, 'pool', 'bidirectional')).toMatchObject({ ok: false });
    expect(wrapNode(g, 'rnn', 'dense')).toMatchObject({ ok: false });
  });

  it("starts a wrapper from the catalog's defaults and drops wires from outputs the wrapper lacks", () => {
    const g = graph(
      [
        ['x', 'input', { role: 'source' }],
        ['emb', 'embedding', { vocabularySize: 9, dimension: 4 }],
        ['rnn', 'gru'],
        ['d', 'decoder'],
      ],
      ['x.out -> emb.in', 'emb.out -> rnn.in', 'rnn.state -> d.state'],
    );
    const st = wrapNode(g, 'rnn', 'stack');
    const { layer: _inner, ...stackDefaults } = defaultParams('stack');
    expect(st.ok && st.graph.nodes[2]!.params).toEqual({
      ...stackDefaults,
      layer: { kind: 'gru', params: {} },
    });
    expect(st.ok && st.droppedEdges).toEqual([]); // a stack keeps its state output
    const bi = wrapNode(g, 'rnn', 'bidirectional');
    expect(bi.ok && bi.droppedEdges).toEqual(['e3']); // bidirectional has no state output
    expect(bi.ok && bi.graph.edges.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('adds, connects and removes blocks with fresh ids and catalog defaults', () => {
    const g = classifier();
    expect(freshId(g, 'lstm')).toBe('lstm');
    expect(freshId(g, 'rnn')).toBe('rnn2');
    expect(freshId(g, 'self-attention')).toBe('self-attention');
    expect(freshId(g, '3d')).toBe('n3d');
    const { graph: g2, id } = addNode(g, 'dropout', { rate: 0.5 });
    expect(id).toBe('dropout');
    expect(g2.nodes.at(-1)).toEqual({
      id: 'dropout',
      kind: 'dropout',
      params: { ...defaultParams('dropout'), rate: 0.5 },
    });
    expect(addNode(g2, 'dropout').id).toBe('dropout2');
    const g3 = connect(g2, { node: 'rnn', port: 'out' }, { node: id, port: 'in' });
    expect(g3.ok && g3.edge.id).toBe('e_rnn_dropout');
    expect(g3.ok && g3.graph.edges).toHaveLength(5);
    const removed = g3.ok ? removeNodes(g3.graph, [id, 'nothing']) : undefined;
    expect(removed).toEqual({ graph: g, removed: 1 });
  });

  it('relabels, copies and pastes with fresh ids, keeping only wires inside the copy', () => {
    const g = classifier();
    expect(setLabel(g, 'rnn', '  encoder ').nodes[2]!.label).toBe('encoder');
    expect(setLabel(setLabel(g, 'rnn', 'x'), 'rnn', ' ').nodes[2]).not.toHaveProperty('label');
    const part = copyNodes(g, ['emb', 'rnn']);
    expect(part.edges.map((e) => e.id)).toEqual(['e2']);
    const { graph: pasted, renamed } = pasteNodes(g, part);
    expect([...renamed]).toEqual([
      ['emb', 'embedding'],
      ['rnn', 'lstm'],
    ]);
    expect(pasted.edges.at(-1)).toEqual({
      id: 'e_embedding_lstm',
      from: { node: 'embedding', port: 'out' },
      to: { node: 'lstm', port: 'in' },
    });
    expect(validateGraph(pasted).filter((d) => d.code === 'duplicate-id')).toEqual([]);
  });

  it('fits embeddings, heads and feature inputs to the built dataset', () => {
    const { graph: fitted, changes } = fitGraphToData(classifier(), { vocabularySize: 57, headUnits: 4 });
    expect(changes).toEqual([
      { node: 'emb', field: 'vocabularySize', from: 20, to: 57 },
      { node: 'out', field: 'units', from: 3, to: 4 },
    ]);
    expect(
      validateGraph(fitted, { task: 'classification', data: { vocabularySize: 57, headUnits: 4 } }),
    ).toEqual([]);
  });
});
