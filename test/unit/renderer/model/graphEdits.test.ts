// Canvas edits on a real template graph: add, connect (replace, refuse), wrap, delete, copy/paste. The graph
// changes come from core/graph's API; these check the document around it (positions) stays in step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asProjectDoc, positionsOf, type ProjectDoc } from '../../../../renderer/src/model/doc.js';
import {
  addNode,
  connect,
  copyNodes,
  pasteNodes,
  removeNodes,
  wrapNode,
} from '../../../../renderer/src/model/graphEdits.js';
import { analyse } from '../../../../renderer/src/model/analysis.js';
import { defaultParams } from '../../../../core/catalog/index.js';

function template(id: string): ProjectDoc {
  return asProjectDoc(
    JSON.parse(readFileSync(new URL(`../../../../resources/templates/${id}.json`, import.meta.url), 'utf8')),
  );
}

function emptyDoc(): ProjectDoc {
  return asProjectDoc({
    formatVersion: 2,
    name: 'x',
    task: 'classification',
    graph: { nodes: [], edges: [] },
  });
}

describe('graph edits', () => {
  it(
    'builds input → embedding → LSTM and infers [batch, ' + 'time, units] with the LSTM parameter count',
    () => {
      const doc = emptyDoc();
      const input = addNode(doc, 'input', { x: 0, y: 0 });
      const embed = addNode(doc, 'embedding', { x: 300, y: 0 }, { vocabularySize: 100, dimension: 8 });
      const lstm = addNode(doc, 'lstm', { x: 600, y: 0 }, { units: 16 });
      expect(doc.graph.nodes.find((n) => n.id === input)!.params).toEqual(defaultParams('input'));
      expect(connect(doc, { node: input, port: 'out' }, { node: embed, port: 'in' }).ok).toBe(true);
      expect(connect(doc, { node: embed, port: 'out' }, { node: lstm, port: 'in' }).ok).toBe(true);
      const a = analyse(doc.graph);
      expect(a.shapes[lstm]?.out?.shape).toEqual(['batch', 'time', 16]);
      // Keras LSTM: 4H(I + H) + 4H weights = 4*16*(8+16) + 64 = 1600
      expect(a.paramCounts[lstm]).toBe(1600);
      expect(a.paramCounts[embed]).toBe(800);
      expect(positionsOf(doc)[lstm]).toEqual({ x: 600, y: 0 });
    },
  );

  it(
    'refuses a self-loop, a duplicate and a loop leaving the document as it was; ' +
      'a valid second wire replaces',
    () => {
      const doc = emptyDoc();
      const a = addNode(doc, 'dense', { x: 0, y: 0 });
      const b = addNode(doc, 'dense', { x: 0, y: 0 });
      const c = addNode(doc, 'dense', { x: 0, y: 0 });
      expect([a, b, c]).toEqual(['dense', 'dense2', 'dense3']);
      expect(connect(doc, { node: a, port: 'out' }, { node: a, port: 'in' })).toMatchObject({
        ok: false,
        code: 'self',
      });
      expect(connect(doc, { node: a, port: 'out' }, { node: c, port: 'in' }).ok).toBe(true);
      expect(connect(doc, { node: a, port: 'out' }, { node: c, port: 'in' })).toMatchObject({
        ok: false,
        code: 'duplicate',
      });
      const before = JSON.stringify(doc);
      expect(connect(doc, { node: c, port: 'out' }, { node: a, port: 'in' })).toMatchObject({
        ok: false,
        code: 'cycle',
      });
      expect(JSON.stringify(doc)).toBe(before);
      expect(connect(doc, { node: b, port: 'out' }, { node: c, port: 'in' }).ok).toBe(true);
      expect(doc.graph.edges.map((e) => e.from.node)).toEqual([b]);
    },
  );

  it('wraps an LSTM in Bidirectional keeping its id and wires, doubling its output width (concat)', () => {
    const doc = template('tagger');
    const rec = doc.graph.nodes.find((n) => n.kind === 'bidirectional');
    // unwrap a copy to have a plain LSTM to wrap
    const inner = rec!.params.layer as { kind: string; params: Record<string, unknown> };
    rec!.kind = inner.kind;
    rec!.params = inner.params;
    const before = analyse(doc.graph).shapes[rec!.id]!.out!.shape;
    const edges = JSON.stringify(doc.graph.edges);
    expect(wrapNode(doc, rec!.id, 'bidirectional').ok).toBe(true);
    const after = analyse(doc.graph).shapes[rec!.id]!.out!.shape;
    expect(after[2]).toBe((before[2] as number) * 2);
    expect(JSON.stringify(doc.graph.edges)).toBe(edges);
    expect(wrapNode(doc, doc.graph.nodes[0]!.id, 'stack').ok).toBe(false); // an input cannot be wrapped
  });

  it('deletes blocks with their wires, and pastes copies with fresh ids and internal wires', () => {
    const doc = template('sentiment');
    const ids = doc.graph.nodes.slice(0, 2).map((n) => n.id);
    const clip = copyNodes(doc, ids);
    const pasted = pasteNodes(doc, clip, { x: 40, y: 40 });
    expect(pasted).toHaveLength(2);
    expect(new Set(doc.graph.nodes.map((n) => n.id)).size).toBe(doc.graph.nodes.length);
    expect(doc.graph.edges.some((e) => e.from.node === pasted[0] && e.to.node === pasted[1])).toBe(true);
    expect(positionsOf(doc)[pasted[0]!]).toEqual({
      x: clip.positions[ids[0]!]!.x + 40,
      y: clip.positions[ids[0]!]!.y + 40,
    });
    const edgesBefore = doc.graph.edges.length;
    expect(removeNodes(doc, [ids[1]!])).toBe(1);
    expect(positionsOf(doc)).not.toHaveProperty(ids[1]!);
    expect(doc.graph.edges.length).toBeLessThan(edgesBefore);
    expect(doc.graph.edges.every((e) => e.from.node !== ids[1] && e.to.node !== ids[1])).toBe(true);
  });
});
