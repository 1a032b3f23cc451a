// The one way to edit a graph, for the canvas, the inspector, the code view and scripts alike: fresh ids,
// adding, removing and relabelling blocks, setting params, wrapping a recurrent block in a wrapper and
// back, copying and pasting. Which kinds wrap, what a wrapper starts with and which ports exist all come
// from the catalog. Every operation returns a new graph; inputs are never mutated. Connecting two ports,
// with the checks that refuse a wire that cannot be valid, lives in connect.ts.
import { defaultParams, getLayerKind, RECURRENT_KINDS } from '../catalog/index.js';
import type { Graph, GraphEdge, GraphNode, PortRef } from './types.js';
import { deepCopy } from '../platform/globals.js';

/** Kinds that hold a recurrent layer (`params.layer = { kind, params }`): the catalog's Wrappers group. */
export function isWrapper(kind: string): boolean {
  return getLayerKind(kind)?.category === 'wrappers';
}

/** Kinds a wrapper can hold: the recurrent cells its inner-layer schema accepts. */
export function isWrappable(kind: string): boolean {
  return (RECURRENT_KINDS as readonly string[]).includes(kind);
}

/**
 * `lstm`, `lstm2`, `lstm3`, …: the first id of that stem not yet used by a block or wire. Ids name weights
 * and zip entries, so they keep to letters, digits, `_` and `-`, start with a letter and stay short.
 */
export function freshId(graph: Graph, stem: string, used: Iterable<string> = []): string {
  const taken = new Set([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id), ...used]);
  const cleaned = stem.replace(/[^A-Za-z0-9_-]+/g, '_').toLowerCase() || 'node';
  const base = (/^[a-z]/.test(cleaned) ? cleaned : `n${cleaned}`).slice(0, 56);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/** A wire id that says what it joins (`e_embedding_lstm`), unique in the graph. */
export function freshEdgeId(graph: Graph, from: PortRef, to: PortRef, used: Iterable<string> = []): string {
  return freshId(graph, `e_${from.node}_${to.node}`, used);
}

/** A block of `kind` with the catalog's default params (overridden by `params`), under a fresh id. */
export function addNode(
  graph: Graph,
  kind: string,
  params: Record<string, unknown> = {},
): { graph: Graph; id: string } {
  const id = freshId(graph, kind);
  const node: GraphNode = { id, kind, params: { ...defaultParams(kind), ...params } };
  return { graph: { nodes: [...graph.nodes, node], edges: graph.edges }, id };
}

/** Removes blocks and every wire touching them; `removed` counts the blocks that existed. */
export function removeNodes(graph: Graph, ids: Iterable<string>): { graph: Graph; removed: number } {
  const gone = new Set(ids);
  const nodes = graph.nodes.filter((n) => !gone.has(n.id));
  const edges = graph.edges.filter((e) => !gone.has(e.from.node) && !gone.has(e.to.node));
  return { graph: { nodes, edges }, removed: graph.nodes.length - nodes.length };
}

export function removeEdges(graph: Graph, ids: Iterable<string>): Graph {
  const gone = new Set(ids);
  return { nodes: graph.nodes, edges: graph.edges.filter((e) => !gone.has(e.id)) };
}

function updateNode(graph: Graph, id: string, change: (node: GraphNode) => GraphNode): Graph {
  return { nodes: graph.nodes.map((n) => (n.id === id ? change(n) : n)), edges: graph.edges };
}

export function setParams(graph: Graph, id: string, params: Record<string, unknown>): Graph {
  return updateNode(graph, id, (n) => ({ ...n, params }));
}

/** A blank label removes it (the canvas then shows the id). */
export function setLabel(graph: Graph, id: string, label: string): Graph {
  return updateNode(graph, id, (n) => {
    const { label: _old, ...rest } = n;
    return label.trim() ? { ...rest, label: label.trim() } : rest;
  });
}

export type WrapResult = { ok: true; graph: Graph; droppedEdges: string[] } | { ok: false; message: string };

/**
 * Wraps a recurrent block in place: same id (so its wires and weight names stay), kind becomes the
 * wrapper with the catalog's defaults (overridden by `extra`), the block's own params move into `layer`.
 * Wires from an output the wrapper does not have (Bidirectional has no `state`) are dropped and reported.
 */
export function wrapNode(
  graph: Graph,
  id: string,
  wrapper: string,
  extra: Record<string, unknown> = {},
): WrapResult {
  const node = graph.nodes.find((n) => n.id === id);
  const def = getLayerKind(wrapper);
  if (!node) return { ok: false, message: `No block "${id}" in the graph.` };
  if (!def || !isWrapper(wrapper)) return { ok: false, message: `"${wrapper}" is not a wrapper block.` };
  if (!isWrappable(node.kind)) {
    const title = getLayerKind(node.kind)?.title ?? node.kind;
    return {
      ok: false,
      message: `${def.title} wraps an LSTM, GRU or Elman RNN block; "${id}" is a ${title} block.`,
    };
  }
  const params = { ...defaultParams(wrapper), ...extra, layer: { kind: node.kind, params: node.params } };
  const outputs = new Set(def.outputs.map((p) => p.name));
  const dropped = graph.edges.filter((e) => e.from.node === id && !outputs.has(e.from.port));
  return {
    ok: true,
    graph: {
      nodes: graph.nodes.map((n) => (n.id === id ? { ...n, kind: wrapper, params } : n)),
      edges: graph.edges.filter((e) => !dropped.includes(e)),
    },
    droppedEdges: dropped.map((e) => e.id),
  };
}

/** The inverse of wrapNode: the wrapper becomes its inner recurrent block again, same id and wires. */
export function unwrapNode(
  graph: Graph,
  id: string,
): { ok: true; graph: Graph } | { ok: false; message: string } {
  const node = graph.nodes.find((n) => n.id === id);
  const layer = node?.params.layer as { kind?: unknown; params?: unknown } | undefined;
  if (!node || !isWrapper(node.kind) || typeof layer?.kind !== 'string') {
    return { ok: false, message: `"${id}" is not a wrapper block holding a recurrent layer.` };
  }
  const inner = layer.kind;
  const params = (typeof layer.params === 'object' && layer.params !== null ? layer.params : {}) as Record<
    string,
    unknown
  >;
  return { ok: true, graph: updateNode(graph, id, (n) => ({ ...n, kind: inner, params })) };
}

/** Some blocks and the wires between them: what copy keeps and paste inserts. */
export interface SubGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function copyNodes(graph: Graph, ids: Iterable<string>): SubGraph {
  const chosen = new Set(ids);
  return deepCopy({
    nodes: graph.nodes.filter((n) => chosen.has(n.id)),
    edges: graph.edges.filter((e) => chosen.has(e.from.node) && chosen.has(e.to.node)),
  });
}

/** Inserts a copy with fresh ids; `renamed` maps each copied id to its new one. */
export function pasteNodes(graph: Graph, part: SubGraph): { graph: Graph; renamed: Map<string, string> } {
  const renamed = new Map<string, string>();
  const used: string[] = [];
  const nodes = [...graph.nodes];
  for (const node of part.nodes) {
    const id = freshId(graph, node.kind, used);
    used.push(id);
    renamed.set(node.id, id);
    nodes.push({ ...deepCopy(node), id });
  }
  const edges = [...graph.edges];
  for (const edge of part.edges) {
    const from = renamed.get(edge.from.node);
    const to = renamed.get(edge.to.node);
    if (!from || !to) continue; // a wire to a block outside the copy
    const id = freshEdgeId(
      graph,
      { node: from, port: edge.from.port },
      { node: to, port: edge.to.port },
      used,
    );
    used.push(id);
    edges.push({ id, from: { node: from, port: edge.from.port }, to: { node: to, port: edge.to.port } });
  }
  return { graph: { nodes, edges }, renamed };
}
