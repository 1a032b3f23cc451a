// Shapes, parameter counts and problems for every block, recomputed on each edit without a round trip:
// core's own validator (core/graph/validate.ts: wiring, shape inference, task checks), the same one the
// host and the CLI run, reshaped for the canvas.
import type { Graph } from '../../../core/graph/types.js';
import { analyzeGraph } from '../../../core/graph/index.js';
import type { DataFacts } from '../../../core/catalog/types.js';
import type { TaskId } from '../../../core/data/spec.js';
import { TASK_IDS } from '../../../core/data/spec.js';
import type { Analysis } from './blockView.js';

export function analyse(graph: Graph, data: DataFacts = {}): Analysis {
  const task = (TASK_IDS as readonly string[]).includes(data.task ?? '') ? (data.task as TaskId) : undefined;
  const result = analyzeGraph(graph, { ...(task ? { task } : {}), data });
  const shapes: Analysis['shapes'] = {};
  const paramCounts: Analysis['paramCounts'] = {};
  for (const [id, node] of Object.entries(result.inference.nodes)) {
    if (node.status !== 'ok') continue;
    shapes[id] = node.outputs;
    paramCounts[id] = node.paramCount;
  }
  return { shapes, paramCounts, diagnostics: result.diagnostics };
}
