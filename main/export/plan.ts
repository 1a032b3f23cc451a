// A validated graph laid out for code generation and inference: nodes in wire order, each with its parsed
// params (defaults filled), the wires arriving at each input port, the shapes there and its weights. The
// exporters and the inference evaluator walk this one list, so they agree on order and naming.
import type { DataFacts, InputShapes, WeightSpec } from '../../core/catalog/index.js';
import { inferGraph } from '../../core/graph/index.js';
import type { Graph, PortRef } from '../../core/graph/types.js';

export interface PlanNode {
  id: string;
  kind: string;
  params: Record<string, unknown>;
  /** Wires into each input port, in edge order (concatenate joins them in this order). */
  inputs: Record<string, PortRef[]>;
  inputShapes: InputShapes;
  weights: WeightSpec[];
}

export interface ModelPlan {
  nodes: PlanNode[];
  /** Input nodes by role (`tokens`, `features`, `source`, `target`). */
  inputs: Record<string, PlanNode>;
  /** Head nodes (their outputs are the model's outputs), in wire order. */
  heads: PlanNode[];
}

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

/** Lays out a graph; throws PlanError naming the first problem when the graph does not validate. */
export function planModel(graph: Graph, data: DataFacts = {}): ModelPlan {
  const inference = inferGraph(graph, data);
  const errors = inference.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0]!;
    const where = first.node ? ` (block "${first.node}"${first.field ? `, field ${first.field}` : ''})` : '';
    throw new PlanError(
      `The model graph has ${errors.length} problem(s); fix them first. ${first.message}${where}`,
    );
  }
  const nodes: PlanNode[] = [];
  for (const id of inference.order) {
    const info = inference.nodes[id]!;
    if (info.status !== 'ok' || !info.params)
      throw new PlanError(`Block "${id}" could not be inferred; fix the graph first.`);
    const inputs: Record<string, PortRef[]> = {};
    for (const edge of graph.edges.filter((e) => e.to.node === id))
      (inputs[edge.to.port] ??= []).push(edge.from);
    nodes.push({
      id,
      kind: info.kind,
      params: info.params,
      inputs,
      inputShapes: info.inputs,
      weights: info.weights,
    });
  }
  const inputs: Record<string, PlanNode> = {};
  for (const n of nodes.filter((n) => n.kind === 'input')) inputs[String(n.params.role)] = n;
  const heads = nodes.filter((n) => n.kind === 'head');
  if (heads.length === 0)
    throw new PlanError('The model has no Head block, so it predicts nothing. Add a Head at the end.');
  return { nodes, inputs, heads };
}

/** The single wire into `port` of `node` (most ports take one). */
export function wireInto(node: PlanNode, port = 'in'): PortRef {
  const ref = node.inputs[port]?.[0];
  if (!ref) throw new PlanError(`Block "${node.id}" has nothing wired into "${port}".`);
  return ref;
}

/** Width (last axis) of what arrives at a port. */
export function widthAt(node: PlanNode, port = 'in'): number {
  const shape = node.inputShapes[port]?.[0]?.shape;
  const w = shape?.[shape.length - 1];
  if (typeof w !== 'number') throw new PlanError(`Block "${node.id}" has no known width at "${port}".`);
  return w;
}

/** Inner recurrent layer of a wrapper (bidirectional, stack, encoder, decoder) or the layer itself. */
export function recurrentLayer(node: PlanNode): {
  kind: 'lstm' | 'gru' | 'elman';
  params: Record<string, unknown>;
} {
  if (node.kind === 'lstm' || node.kind === 'gru' || node.kind === 'elman')
    return { kind: node.kind, params: node.params };
  const layer = node.params.layer as
    { kind: 'lstm' | 'gru' | 'elman'; params: Record<string, unknown> } | undefined;
  if (!layer) throw new PlanError(`Block "${node.id}" (${node.kind}) holds no recurrent layer.`);
  return layer;
}
