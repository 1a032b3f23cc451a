// Shapes, parameter counts and problems for every block, recomputed on each edit (a graph of a few hundred
// nodes takes well under a millisecond per node). Node-level inference is the catalog's own
// (inferShapes / paramCount); graph-level checks come from the host's validator (core/graph/validate)
// and are merged in by the store.
import type { Diagnostic, Graph, PortShape } from '../../../core/graph/types.js';
import { getLayerKind, paramCount, parseParams } from '../../../core/catalog/index.js';
import type { DataFacts, InputShapes } from '../../../core/catalog/types.js';
import type { Analysis } from './blockView.js';

/** Nodes in an order where every wire goes forward; nodes on a cycle come last (their shapes stay unknown). */
export function topologicalOrder(graph: Graph): { order: string[]; cyclic: string[] } {
  const indegree = new Map(graph.nodes.map((n) => [n.id, 0]));
  for (const e of graph.edges) if (indegree.has(e.to.node) && indegree.has(e.from.node)) indegree.set(e.to.node, indegree.get(e.to.node)! + 1);
  const ready = graph.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const e of graph.edges) {
      if (e.from.node !== id || !indegree.has(e.to.node)) continue;
      const left = indegree.get(e.to.node)! - 1;
      indegree.set(e.to.node, left);
      if (left === 0) ready.push(e.to.node);
    }
  }
  const placed = new Set(order);
  return { order, cyclic: graph.nodes.filter((n) => !placed.has(n.id)).map((n) => n.id) };
}

export function analyse(graph: Graph, data: DataFacts = {}): Analysis {
  const shapes: Analysis['shapes'] = {};
  const paramCounts: Analysis['paramCounts'] = {};
  const diagnostics: Diagnostic[] = [];
  const { order, cyclic } = topologicalOrder(graph);
  for (const id of cyclic) {
    diagnostics.push({ severity: 'error', code: 'cycle', node: id, message: 'This block is on a loop of wires. Models here are feed-forward graphs: remove one wire of the loop.' });
  }
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const id of order) {
    const node = nodes.get(id)!;
    const def = getLayerKind(node.kind);
    if (!def) {
      diagnostics.push({ severity: 'error', code: 'unknown-kind', node: id, message: `Unknown block kind "${node.kind}".` });
      continue;
    }
    const parsed = parseParams(node.kind, node.params);
    if (!parsed.ok) {
      const p = parsed.problems[0]!;
      diagnostics.push({ severity: 'error', code: 'invalid-param', node: id, field: p.field, message: `${p.field}: ${p.message}` });
      continue;
    }
    const inputs: InputShapes = {};
    let upstreamUnknown = false;
    for (const e of graph.edges) {
      if (e.to.node !== id) continue;
      const shape: PortShape | undefined = shapes[e.from.node]?.[e.from.port];
      if (!shape) upstreamUnknown = true;
      else (inputs[e.to.port] ??= []).push(shape);
    }
    if (upstreamUnknown) continue; // the problem is reported where it starts, not on every block after it
    const result = def.inferShapes(parsed.params, inputs, data);
    if (!result.ok) {
      const { code, message, port, field } = result.problem;
      diagnostics.push({ severity: 'error', code, message, node: id, ...(port ? { port } : {}), ...(field ? { field } : {}) });
      continue;
    }
    shapes[id] = result.outputs;
    try {
      paramCounts[id] = paramCount(def, parsed.params, inputs);
    } catch {
      // a count that cannot be computed stays unknown ("? params"); inference already accepted the inputs
    }
  }
  return { shapes, paramCounts, diagnostics };
}
