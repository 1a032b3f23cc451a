// Canvas edits on a real template graph: add, connect (replace, refuse), wrap, delete, copy/paste.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asProjectDoc, positionsOf, type ProjectDoc } from '../../../../renderer/src/model/doc.js';
import { addNode, connect, copyNodes, pasteNodes, removeNodes, wrapNode } from '../../../../renderer/src/model/graphEdits.js';
import { analyse } from '../../../../renderer/src/model/analysis.js';
import { defaultParams } from '../../../../core/catalog/index.js';

function template(id: string): ProjectDoc {
  return asProjectDoc(JSON.parse(readFileSync(new URL(`../../../../resources/templates/${id}.json`, import.meta.url), 'utf8')));
}

function emptyDoc(): ProjectDoc {
  return asProjectDoc({ formatVersion: 2, name: 'x', task: 'classification', graph: { nodes: [], edges: [] } });
}

describe('graph edits', () => {
  it('builds input → embedding → LSTM and infers [batch, time, units] with the LSTM parameter count', () => {
    const doc = emptyDoc();
    const input = addNode(doc, 'input', defaultParams('input'), { x: 0, y: 0 });
    const embed = addNode(doc, 'embedding', { ...defaultParams('embedding'), vocabularySize: 100, dimension: 8 }, { x: 300, y: 0 });
    const lstm = addNode(doc, 'lstm', { ...defaultParams('lstm'), units: 16 }, { x: 600, y: 0 });
    expect(connect(doc, { node: input.id, port: 'out' }, { node: embed.id, port: 'in' }).ok).toBe(true);
    expect(connect(doc, { node: embed.id, port: 'out' }, { node: lstm.id, port: 'in' }).ok).toBe(true);
    const a = analyse(doc.graph);
    expect(a.shapes[lstm.id]?.out?.shape).toEqual(['batch', 'time', 16]);
    // Keras LSTM: 4H(I + H) + 4H weights = 4*16*(8+16) + 64 = 1600
    expect(a.paramCounts[lstm.id]).toBe(1600);
    expect(a.paramCounts[embed.id]).toBe(800);
    expect(positionsOf(doc)[lstm.id]).toEqual({ x: 600, y: 0 });
  });

  it('refuses a self-loop and a duplicate wire, and a second wire into a single input replaces the first', () => {
    const doc = emptyDoc();
    const a = addNode(doc, 'dense', defaultParams('dense'), { x: 0, y: 0 });
    const b = addNode(doc, 'dense', defaultParams('dense'), { x: 0, y: 0 });
    const c = addNode(doc, 'dense', defaultParams('dense'), { x: 0, y: 0 });
    expect(connect(doc, { node: a.id, port: 'out' }, { node: a.id, port: 'in' })).toEqual({ ok: false, reason: 'self' });
    expect(connect(doc, { node: a.id, port: 'out' }, { node: c.id, port: 'in' }).ok).toBe(true);
    expect(connect(doc, { node: a.id, port: 'out' }, { node: c.id, port: 'in' })).toEqual({ ok: false, reason: 'duplicate' });
    expect(connect(doc, { node: b.id, port: 'out' }, { node: c.id, port: 'in' }).ok).toBe(true);
    expect(doc.graph.edges.map((e) => e.from.node)).toEqual([b.id]);
  });

  it('wraps an LSTM in Bidirectional keeping its id and wires, doubling its output width (concat)', () => {
    const doc = template('tagger');
    const rec = doc.graph.nodes.find((n) => n.kind === 'bidirectional');
    // unwrap a copy to have a plain LSTM to wrap
    const inner = rec!.params.layer as { kind: string; params: Record<string, unknown> };
    rec!.kind = inner.kind;
    rec!.params = inner.params;
    const before = analyse(doc.graph).shapes[rec!.id]!.out!.shape;
    const edges = JSON.stringify(doc.graph.edges);
    expect(wrapNode(doc, rec!.id, 'bidirectional')).toBe(true);
    const after = analyse(doc.graph).shapes[rec!.id]!.out!.shape;
    expect(after[2]).toBe((before[2] as number) * 2);
    expect(JSON.stringify(doc.graph.edges)).toBe(edges);
    expect(wrapNode(doc, doc.graph.nodes[0]!.id, 'stack')).toBe(false); // an input cannot be wrapped
  });

  it('deletes blocks with their wires, and pastes copies with fresh ids and internal wires', () => {
    const doc = template('sentiment');
    const ids = doc.graph.nodes.slice(0, 2).map((n) => n.id);
    const clip = copyNodes(doc, ids);
    const pasted = pasteNodes(doc, clip, { x: 40, y: 40 });
    expect(pasted).toHaveLength(2);
    expect(new Set(doc.graph.nodes.map((n) => n.id)).size).toBe(doc.graph.nodes.length);
    expect(doc.graph.edges.some((e) => e.from.node === pasted[0] && e.to.node === pasted[1])).toBe(true);
    const edgesBefore = doc.graph.edges.length;
    expect(removeNodes(doc, [ids[1]!])).toBe(1);
    expect(doc.graph.edges.length).toBeLessThan(edgesBefore);
    expect(doc.graph.edges.every((e) => e.from.node !== ids[1] && e.to.node !== ids[1])).toBe(true);
  });
});
