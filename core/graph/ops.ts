// Graph operations the canvas and the validator share: topological order (and the cycle when there is
// none), fresh ids, adding, connecting and removing blocks, and wrapping a recurrent block in a
// bidirectional or stack wrapper. Every operation returns a new graph; inputs are never mutated.
import type { Graph, GraphEdge, GraphNode, PortRef } from './types.js';

export type TopoResult = { ok: true; order: string[] } | { ok: false; order: string[]; cycle: string[] };

/** Kahn's algorithm over node ids; edges to unknown nodes are ignored (the validator reports them). */
export function topologicalOrder(graph: Graph): TopoResult {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const indegree = new Map<string, number>([...ids].map((id) => [id, 0]));
  const next = new Map<string, string[]>([...ids].map((id) => [id, []]));
  for (const e of graph.edges) {
    if (!ids.has(e.from.node) || !ids.has(e.to.node)) continue;
    next.get(e.from.node)!.push(e.to.node);
    indegree.set(e.to.node, (indegree.get(e.to.node) ?? 0) + 1);
  }
  const queue = [...ids].filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const to of next.get(id) ?? []) {
      const d = (indegree.get(to) ?? 0) - 1;
      indegree.set(to, d);
      if (d === 0) queue.push(to);
    }
  }
  if (order.length === ids.size) return { ok: true, order };
  return { ok: false, order, cycle: findCycle(graph, new Set(order)) };
}

/** One cycle among the nodes Kahn could not order, as node ids in wire order. */
function findCycle(graph: Graph, ordered: Set<string>): string[] {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (ordered.has(e.from.node) || ordered.has(e.to.node)) continue;
    next.set(e.from.node, [...(next.get(e.from.node) ?? []), e.to.node]);
  }
  const start = graph.nodes.find((n) => !ordered.has(n.id) && next.has(n.id))?.id;
  if (!start) return [];
  // Every remaining node has a successor among the remaining ones, so walking forward must revisit one.
  const seen = new Map<string, number>();
  const path: string[] = [];
  let at: string | undefined = start;
  while (at !== undefined && !seen.has(at)) {
    seen.set(at, path.length);
    path.push(at);
    at = next.get(at)?.[0];
  }
  return at === undefined ? path : path.slice(seen.get(at));
}

/** `lstm1`, `lstm2`, …: the first id of that stem not yet used. */
export function freshId(graph: Graph, stem: string, used: Iterable<string> = []): string {
  const taken = new Set([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id), ...used]);
  const base = stem.replace(/[^A-Za-z0-9_-]/g, '') || 'node';
  const safe = /^[A-Za-z]/.test(base) ? base : `n${base}`;
  for (let i = 1; ; i++) if (!taken.has(`${safe}${i}`)) return `${safe}${i}`;
}

export function addNode(graph: Graph, node: Omit<GraphNode, 'id'> & { id?: string }): { graph: Graph; id: string } {
  const id = node.id ?? freshId(graph, node.kind.replace(/-/g, ''));
  return { graph: { nodes: [...graph.nodes, { ...node, id }], edges: graph.edges }, id };
}

export function connect(graph: Graph, from: PortRef, to: PortRef): Graph {
  const edge: GraphEdge = { id: freshId(graph, 'e'), from, to };
  return { nodes: graph.nodes, edges: [...graph.edges, edge] };
}

export function removeNode(graph: Graph, id: string): Graph {
  return {
    nodes: graph.nodes.filter((n) => n.id !== id),
    edges: graph.edges.filter((e) => e.from.node !== id && e.to.node !== id),
  };
}

const RECURRENT = new Set(['lstm', 'gru', 'elman']);

/**
 * Wraps a recurrent block in place: same id and wires, kind becomes the wrapper, its params move into
 * `layer`. Wires from its `state` output are dropped for bidirectional (which has none) and reported.
 */
export function wrapNode(
  graph: Graph,
  id: string,
  wrapper: 'bidirectional' | 'stack',
  extra: Record<string, unknown> = {},
): { ok: true; graph: Graph; droppedEdges: string[] } | { ok: false; message: string } {
  const node = graph.nodes.find((n) => n.id === id);
  if (!node) return { ok: false, message: `No block "${id}" in the graph.` };
  if (!RECURRENT.has(node.kind)) {
    return { ok: false, message: `Only recurrent blocks (LSTM, GRU, Elman RNN) can be wrapped; "${id}" is a ${node.kind} block.` };
  }
  const params = { ...extra, layer: { kind: node.kind, params: node.params } };
  const dropped = wrapper === 'bidirectional' ? graph.edges.filter((e) => e.from.node === id && e.from.port === 'state') : [];
  return {
    ok: true,
    graph: {
      nodes: graph.nodes.map((n) => (n.id === id ? { ...n, kind: wrapper, params } : n)),
      edges: graph.edges.filter((e) => !dropped.includes(e)),
    },
    droppedEdges: dropped.map((e) => e.id),
  };
}

/** The inverse of wrapNode: the wrapper becomes its inner recurrent block again. */
export function unwrapNode(graph: Graph, id: string): { ok: true; graph: Graph } | { ok: false; message: string } {
  const node = graph.nodes.find((n) => n.id === id);
  const layer = node?.params.layer as { kind?: unknown; params?: unknown } | undefined;
  if (!node || (node.kind !== 'bidirectional' && node.kind !== 'stack') || typeof layer?.kind !== 'string') {
    return { ok: false, message: `"${id}" is not a bidirectional or stack block.` };
  }
  const params = (typeof layer.params === 'object' && layer.params !== null ? layer.params : {}) as Record<string, unknown>;
  return { ok: true, graph: { nodes: graph.nodes.map((n) => (n.id === id ? { ...n, kind: layer.kind as string, params } : n)), edges: graph.edges } };
}
