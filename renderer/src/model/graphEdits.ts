// Canvas edits on a working copy of the document. The graph itself is changed only through core/graph's
// editing API (ids, catalog defaults, wrapping, the checks that refuse a wire); this file adds what the
// document keeps beside the graph: where each block sits. The store records the undo step and syncs.
import type { DataFacts } from '../../../core/catalog/types.js';
import * as edits from '../../../core/graph/index.js';
import type { ConnectResult, GraphEdge, GraphNode, PortRef } from '../../../core/graph/index.js';
import { positionsOf, setPositions, type Position, type ProjectDoc } from './doc.js';

export { isWrappable, isWrapper } from '../../../core/graph/index.js';

/** Adds a block of `kind` (catalog defaults, overridden by `params`) at `at`; returns its id. */
export function addNode(
  doc: ProjectDoc,
  kind: string,
  at: Position,
  params: Record<string, unknown> = {},
): string {
  const { graph, id } = edits.addNode(doc.graph, kind, params);
  doc.graph = graph;
  setPositions(doc, { ...positionsOf(doc), [id]: at });
  return id;
}

/** Removes blocks with their wires and positions; returns how many blocks went. */
export function removeNodes(doc: ProjectDoc, ids: Iterable<string>): number {
  const gone = [...ids];
  const { graph, removed } = edits.removeNodes(doc.graph, gone);
  doc.graph = graph;
  const positions = positionsOf(doc);
  for (const id of gone) delete positions[id];
  setPositions(doc, positions);
  return removed;
}

export function removeEdges(doc: ProjectDoc, ids: Iterable<string>): void {
  doc.graph = edits.removeEdges(doc.graph, ids);
}

/** Joins two ports, or leaves the document untouched and says why the wire cannot be valid. */
export function connect(doc: ProjectDoc, from: PortRef, to: PortRef, data: DataFacts = {}): ConnectResult {
  const result = edits.connect(doc.graph, from, to, data);
  if (result.ok) doc.graph = result.graph;
  return result;
}

/** Wraps a recurrent block in a wrapper (Bidirectional, Stack), keeping its id, wires and position. */
export function wrapNode(doc: ProjectDoc, id: string, wrapper: string): edits.WrapResult {
  const result = edits.wrapNode(doc.graph, id, wrapper);
  if (result.ok) doc.graph = result.graph;
  return result;
}

export function setParams(doc: ProjectDoc, id: string, params: Record<string, unknown>): void {
  doc.graph = edits.setParams(doc.graph, id, params);
}

export function setLabel(doc: ProjectDoc, id: string, label: string): void {
  doc.graph = edits.setLabel(doc.graph, id, label);
}

/** What Ctrl+C keeps: the chosen blocks, the wires between them, and where they were. */
export interface Clipboard {
  nodes: GraphNode[];
  edges: GraphEdge[];
  positions: Record<string, Position>;
}

export function copyNodes(doc: ProjectDoc, ids: Iterable<string>): Clipboard {
  const chosen = [...ids];
  const positions = positionsOf(doc);
  return {
    ...edits.copyNodes(doc.graph, chosen),
    positions: Object.fromEntries(
      chosen.filter((id) => positions[id]).map((id) => [id, { ...positions[id]! }]),
    ),
  };
}

/** Pastes with fresh ids, shifted by `offset`, and returns the new ids (to select them). */
export function pasteNodes(doc: ProjectDoc, clip: Clipboard, offset: Position): string[] {
  const { graph, renamed } = edits.pasteNodes(doc.graph, clip);
  doc.graph = graph;
  const positions = positionsOf(doc);
  for (const [old, id] of renamed) {
    const p = clip.positions[old] ?? { x: 0, y: 0 };
    positions[id] = { x: p.x + offset.x, y: p.y + offset.y };
  }
  setPositions(doc, positions);
  return [...renamed.values()];
}
