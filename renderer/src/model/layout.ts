// Auto-layout: blocks in columns by their depth from the inputs (longest path), left to right as data
// flows, each column centred vertically. Enough for the sequential and encoder–decoder models of the
// studio; a user can move anything afterwards. Cycles (which the validator reports) do not hang it.
import type { Graph } from '../../../core/graph/types.js';
import type { Position } from './doc.js';

export const COLUMN_GAP = 240;
export const ROW_GAP = 190;

export function autoLayout(graph: Graph): Record<string, Position> {
  const depth = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  // Longest-path relaxation, bounded by the node count so a cycle cannot loop forever.
  for (let round = 0; round < graph.nodes.length; round++) {
    let changed = false;
    for (const edge of graph.edges) {
      const from = depth.get(edge.from.node);
      const to = depth.get(edge.to.node);
      if (from === undefined || to === undefined) continue;
      if (to < from + 1) {
        depth.set(edge.to.node, from + 1);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns = new Map<number, string[]>();
  for (const node of graph.nodes) {
    const d = Math.min(depth.get(node.id) ?? 0, graph.nodes.length);
    columns.set(d, [...(columns.get(d) ?? []), node.id]);
  }
  const tallest = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const out: Record<string, Position> = {};
  for (const [d, ids] of columns) {
    const top = ((tallest - ids.length) * ROW_GAP) / 2;
    ids.forEach((id, row) => (out[id] = { x: d * COLUMN_GAP, y: top + row * ROW_GAP }));
  }
  return out;
}
