// Edits a user makes on the canvas, as plain functions over a working copy of the document. Each returns
// what the UI needs to say or select next; the store records the undo step and sends the result to the host.
import type { GraphEdge, GraphNode, PortRef } from '../../../core/graph/types.js';
import { freshId, positionsOf, setPositions, type Position, type ProjectDoc } from './doc.js';

/** Kinds a Bidirectional or Stack block can wrap (the shared convention of core/catalog). */
export const WRAPPABLE_KINDS = ['elman', 'lstm', 'gru'] as const;
export const WRAPPER_KINDS = ['bidirectional', 'stack'] as const;
/** Kinds whose one input port takes several wires (the others keep one wire per input). */
const MULTI_INPUT_KINDS = new Set(['concatenate', 'add']);

export function isWrapper(kind: string): kind is (typeof WRAPPER_KINDS)[number] {
  return (WRAPPER_KINDS as readonly string[]).includes(kind);
}

export function isWrappable(kind: string): boolean {
  return (WRAPPABLE_KINDS as readonly string[]).includes(kind);
}

export function addNode(doc: ProjectDoc, kind: string, params: Record<string, unknown>, at: Position): GraphNode {
  const node: GraphNode = { id: freshId(kind, doc.graph.nodes.map((n) => n.id)), kind, params };
  doc.graph.nodes.push(node);
  setPositions(doc, { ...positionsOf(doc), [node.id]: at });
  return node;
}

export function removeNodes(doc: ProjectDoc, ids: Iterable<string>): number {
  const gone = new Set(ids);
  const before = doc.graph.nodes.length;
  doc.graph.nodes = doc.graph.nodes.filter((n) => !gone.has(n.id));
  doc.graph.edges = doc.graph.edges.filter((e) => !gone.has(e.from.node) && !gone.has(e.to.node));
  const positions = positionsOf(doc);
  for (const id of gone) delete positions[id];
  setPositions(doc, positions);
  return before - doc.graph.nodes.length;
}

export function removeEdges(doc: ProjectDoc, ids: Iterable<string>): void {
  const gone = new Set(ids);
  doc.graph.edges = doc.graph.edges.filter((e) => !gone.has(e.id));
}

export type ConnectResult = { ok: true; edge: GraphEdge } | { ok: false; reason: 'self' | 'duplicate' | 'missing' };

/**
 * Joins an output port to an input port. Shape and kind problems are NOT refused here: the wire is drawn
 * and the validator explains on the block what is wrong, so the user learns why rather than being blocked.
 */
export function connect(doc: ProjectDoc, from: PortRef, to: PortRef): ConnectResult {
  if (from.node === to.node) return { ok: false, reason: 'self' };
  const ids = new Set(doc.graph.nodes.map((n) => n.id));
  if (!ids.has(from.node) || !ids.has(to.node)) return { ok: false, reason: 'missing' };
  const same = (a: PortRef, b: PortRef) => a.node === b.node && a.port === b.port;
  if (doc.graph.edges.some((e) => same(e.from, from) && same(e.to, to))) return { ok: false, reason: 'duplicate' };
  const target = doc.graph.nodes.find((n) => n.id === to.node);
  if (target && !MULTI_INPUT_KINDS.has(target.kind)) {
    doc.graph.edges = doc.graph.edges.filter((e) => !same(e.to, to)); // a new wire replaces the old one
  }
  const edge: GraphEdge = { id: freshId(`e_${from.node}_${to.node}`, doc.graph.edges.map((e) => e.id)), from, to };
  doc.graph.edges.push(edge);
  return { ok: true, edge };
}

/**
 * Wraps a recurrent block in Bidirectional or Stack, keeping its id so its wires and weight names stay.
 * The inner layer keeps its kind and params (the shared convention: params.layer = { kind, params }).
 */
export function wrapNode(doc: ProjectDoc, id: string, wrapper: 'bidirectional' | 'stack'): boolean {
  const node = doc.graph.nodes.find((n) => n.id === id);
  if (!node || !isWrappable(node.kind)) return false;
  const layer = { kind: node.kind, params: node.params };
  node.params =
    wrapper === 'bidirectional'
      ? { merge: 'concat', layer }
      : { layers: 2, residual: false, dropout: 0, layer };
  node.kind = wrapper;
  return true;
}

export function setParams(doc: ProjectDoc, id: string, params: Record<string, unknown>): boolean {
  const node = doc.graph.nodes.find((n) => n.id === id);
  if (!node) return false;
  node.params = params;
  return true;
}

export function setLabel(doc: ProjectDoc, id: string, label: string): void {
  const node = doc.graph.nodes.find((n) => n.id === id);
  if (!node) return;
  if (label.trim()) node.label = label.trim();
  else delete node.label;
}

/** What Ctrl+C keeps: the chosen blocks, the wires between them, and where they were. */
export interface Clipboard {
  nodes: GraphNode[];
  edges: GraphEdge[];
  positions: Record<string, Position>;
}

export function copyNodes(doc: ProjectDoc, ids: Iterable<string>): Clipboard {
  const chosen = new Set(ids);
  const positions = positionsOf(doc);
  return structuredClone({
    nodes: doc.graph.nodes.filter((n) => chosen.has(n.id)),
    edges: doc.graph.edges.filter((e) => chosen.has(e.from.node) && chosen.has(e.to.node)),
    positions: Object.fromEntries([...chosen].filter((id) => positions[id]).map((id) => [id, positions[id]!])),
  });
}

/** Pastes with fresh ids, shifted by `offset`, and returns the new ids (to select them). */
export function pasteNodes(doc: ProjectDoc, clip: Clipboard, offset: Position): string[] {
  const rename = new Map<string, string>();
  const positions = positionsOf(doc);
  const taken = new Set(doc.graph.nodes.map((n) => n.id));
  for (const node of clip.nodes) {
    const id = freshId(node.kind, taken);
    taken.add(id);
    rename.set(node.id, id);
    doc.graph.nodes.push({ ...structuredClone(node), id });
    const p = clip.positions[node.id] ?? { x: 0, y: 0 };
    positions[id] = { x: p.x + offset.x, y: p.y + offset.y };
  }
  const edgeIds = new Set(doc.graph.edges.map((e) => e.id));
  for (const edge of clip.edges) {
    const from = { node: rename.get(edge.from.node)!, port: edge.from.port };
    const to = { node: rename.get(edge.to.node)!, port: edge.to.port };
    const id = freshId(`e_${from.node}_${to.node}`, edgeIds);
    edgeIds.add(id);
    doc.graph.edges.push({ id, from, to });
  }
  setPositions(doc, positions);
  return [...rename.values()];
}
