// Problems of the graph inside a file that did not parse, named as people think of them: "cycle: a → b →
// a", "missing block: …". A file refused for another reason (a missing name, an unknown task) still
// reports these, so one look tells everything that stands between the file and opening it.
import type { FieldProblem } from '../catalog/zod-messages.js';
import { GraphSchema } from '../graph/schema.js';
import { describeCycle, topologicalOrder } from '../graph/order.js';

export function graphFileProblems(graph: unknown, field = 'graph'): FieldProblem[] {
  const parsed = GraphSchema.safeParse(graph);
  if (!parsed.success) return []; // its own problems are reported by the file's schema
  const problems: FieldProblem[] = [];
  const ids = new Set(parsed.data.nodes.map((n) => n.id));
  for (const [i, e] of parsed.data.edges.entries()) {
    for (const end of [e.from.node, e.to.node].filter((node) => !ids.has(node))) {
      problems.push({
        field: `${field}.edges[${i}]`,
        message:
          `missing block: wire "${e.id}" ends at "${end}", which is not among the blocks ` +
          `(${[...ids].join(', ') || 'none'}).`,
      });
    }
  }
  const topo = topologicalOrder(parsed.data);
  if (!topo.ok) {
    problems.push({
      field: `${field}.edges`,
      message:
        `cycle: ${describeCycle(topo.cycle)}. Models are drawn without loops (recurrence happens ` +
        `inside recurrent blocks); remove one wire of the loop.`,
    });
  }
  return problems;
}

/** The graph a raw project or architecture value holds, if any. */
export function graphOf(raw: unknown): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as { graph?: unknown }).graph : undefined;
}
