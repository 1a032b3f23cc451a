// Everything wrong with a graph, addressed to the node, port, wire or field, with the fix in words:
// wiring (structure.ts), shapes (infer.ts), and fit with the task and data (task-checks.ts).
import type { TaskId } from '../data/spec.js';
import type { DataFacts } from '../catalog/types.js';
import { inferGraph, type GraphInference } from './infer.js';
import { checkWires } from './structure.js';
import { checkTask } from './task-checks.js';
import type { Diagnostic, Graph } from './types.js';

export interface ValidationContext {
  task?: TaskId;
  data?: DataFacts;
}

export interface GraphAnalysis {
  inference: GraphInference;
  diagnostics: Diagnostic[];
  /** No diagnostic of severity error. */
  ok: boolean;
}

export function analyzeGraph(graph: Graph, context: ValidationContext = {}): GraphAnalysis {
  const data = { ...context.data, task: context.task ?? context.data?.task };
  const inference = inferGraph(graph, data);
  const diagnostics = [...checkWires(graph), ...inference.diagnostics];
  if (context.task) diagnostics.push(...checkTask(graph, inference, context.task, data));
  const useful = nodesFeedingHeads(graph);
  const hasHead = graph.nodes.some((n) => n.kind === 'head');
  for (const node of graph.nodes) {
    if (hasHead && !useful.has(node.id)) {
      diagnostics.push({
        severity: 'warning',
        code: 'unused-node',
        message:
          `Block "${node.id}" does not lead to the output head, so it is never trained. Wire it ` +
          `in or delete it.`,
        node: node.id,
      });
    }
  }
  return { inference, diagnostics, ok: !diagnostics.some((d) => d.severity === 'error') };
}

export function validateGraph(graph: Graph, context: ValidationContext = {}): Diagnostic[] {
  return analyzeGraph(graph, context).diagnostics;
}

/** Heads and every node with a path of wires to one (one backwards walk from the heads). */
function nodesFeedingHeads(graph: Graph): Set<string> {
  const into = new Map<string, string[]>();
  for (const e of graph.edges) into.set(e.to.node, [...(into.get(e.to.node) ?? []), e.from.node]);
  const seen = new Set<string>();
  const stack = graph.nodes.filter((n) => n.kind === 'head').map((n) => n.id);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(into.get(id) ?? []));
  }
  return seen;
}
