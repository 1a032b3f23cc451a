// Wire order of a graph: a topological order of its blocks, or the loop that prevents one. The validator,
// shape inference and the editing API (refusing a wire that would close a loop) all read it here.
import type { Graph } from './types.js';

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

/**
 * One cycle among the nodes Kahn could not order, as node ids in wire order. Those nodes include blocks
 * merely downstream of a loop, so the walk is a depth-first search that stops at the first wire back to
 * a block on the current path.
 */
function findCycle(graph: Graph, ordered: Set<string>): string[] {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (ordered.has(e.from.node) || ordered.has(e.to.node)) continue;
    next.set(e.from.node, [...(next.get(e.from.node) ?? []), e.to.node]);
  }
  const done = new Set<string>();
  for (const root of graph.nodes.map((n) => n.id).filter((id) => !ordered.has(id))) {
    if (done.has(root)) continue;
    const path: string[] = [root];
    const onPath = new Set(path);
    const cursor: number[] = [0];
    while (path.length > 0) {
      const at = path[path.length - 1]!;
      const successors = next.get(at) ?? [];
      const i = cursor[cursor.length - 1]!;
      if (i >= successors.length) {
        done.add(at);
        onPath.delete(at);
        path.pop();
        cursor.pop();
        continue;
      }
      cursor[cursor.length - 1] = i + 1;
      const to = successors[i]!;
      if (onPath.has(to)) return path.slice(path.indexOf(to));
      if (done.has(to)) continue;
      path.push(to);
      onPath.add(to);
      cursor.push(0);
    }
  }
  return [];
}

/** `a → b → a`: a loop as people read it (the first block repeated at the end). */
export function describeCycle(cycle: readonly string[]): string {
  return cycle.length > 0 ? [...cycle, cycle[0]].join(' → ') : 'some blocks';
}
