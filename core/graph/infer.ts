// Shape and parameter-count inference for every node, in wire order. A node whose inputs could not be
// inferred is marked blocked without a diagnostic of its own, so one mistake gives one message.
import { getLayerKind } from '../catalog/index.js';
import { countWeights, describe } from '../catalog/shapes.js';
import type { DataFacts, InputPortDef, InputShapes, OutputShapes, WeightSpec } from '../catalog/types.js';
import { own, userKeyed } from '../records/own.js';
import { topologicalOrder } from './order.js';
import { checkNodes } from './structure.js';
import type { Diagnostic, Graph, PortShape } from './types.js';

export interface NodeInference {
  id: string;
  kind: string;
  /** ok: shapes known; error: this node has a problem; blocked: something upstream does. */
  status: 'ok' | 'error' | 'blocked';
  /** Params with defaults filled (absent when they do not parse). */
  params?: Record<string, unknown>;
  inputs: InputShapes;
  outputs: OutputShapes;
  weights: WeightSpec[];
  paramCount: number;
}

export interface GraphInference {
  /** Node ids in an order where every wire goes forwards (nodes on a cycle are left out). */
  order: string[];
  nodes: Record<string, NodeInference>;
  diagnostics: Diagnostic[];
  /** Sum over nodes whose shapes are known. */
  totalParams: number;
}

function kindHint(shape: PortShape, port: InputPortDef): string {
  if (shape.kind === 'tokens') return 'Put an Embedding block after the token input.';
  if (shape.kind === 'vector' && port.accepts.includes('sequence')) {
    return (
      'It receives one vector per sequence: set returnSequences on the recurrent block before it, ' +
      'or remove the pooling.'
    );
  }
  if (shape.kind === 'sequence' && port.accepts.includes('vector'))
    return 'Add a Pooling block to turn the sequence into one vector.';
  if (shape.kind === 'state') return 'A state output feeds only a Decoder\'s "state" input.';
  if (shape.kind === 'weights') return 'Attention weights are for viewing; they do not feed other blocks.';
  return `It accepts ${port.accepts.join(' or ')}.`;
}

/** The problem of wiring `shape` into an input that does not accept it (validator and connect() alike). */
export function portKindProblem(
  shape: PortShape,
  port: InputPortDef,
  to: { id: string; title: string },
  fromNode: string,
): Diagnostic {
  return {
    severity: 'error',
    code:
      shape.kind === 'vector' || shape.kind === 'sequence'
        ? 'sequence-vector-mismatch'
        : 'port-kind-mismatch',
    message:
      `Input "${port.name}" of "${to.id}" (${to.title}) cannot take ${describe(shape)} from ` +
      `"${fromNode}". ${kindHint(shape, port)}`,
  };
}

export function inferGraph(graph: Graph, data: DataFacts = {}): GraphInference {
  const { params, diagnostics } = checkNodes(graph);
  const topo = topologicalOrder(graph);
  // The first block of an id, as checkNodes parsed it (a second one is reported as duplicate-id).
  const byId = new Map<string, Graph['nodes'][number]>();
  for (const n of graph.nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  // Keyed by the user's block ids: a block named `constructor` or `__proto__` is a block like any other.
  const nodes = userKeyed<NodeInference>();
  let totalParams = 0;
  const incoming = new Map<string, Graph['edges']>();
  for (const e of graph.edges) incoming.set(e.to.node, [...(incoming.get(e.to.node) ?? []), e]);

  for (const id of topo.order) {
    const node = byId.get(id)!;
    const def = getLayerKind(node.kind);
    const info: NodeInference = {
      id,
      kind: node.kind,
      status: 'blocked',
      inputs: {},
      outputs: {},
      weights: [],
      paramCount: 0,
    };
    nodes[id] = info;
    const p = params.get(id);
    if (!def || !p) {
      info.status = 'error';
      continue;
    }
    info.params = p;
    let blocked = false;
    for (const e of incoming.get(id) ?? []) {
      const port = def.inputs.find((q) => q.name === e.to.port);
      const upstream = own(nodes, e.from.node);
      if (!port || !upstream) continue; // unknown port or dangling wire: reported by checkWires
      if (upstream.status !== 'ok') {
        blocked = true;
        continue;
      }
      const shape = own(upstream.outputs, e.from.port);
      if (!shape) {
        diagnostics.push({
          severity: 'error',
          code: 'unused-output',
          message:
            `Output "${e.from.port}" of "${e.from.node}" is empty with its current settings (e.g. ` +
            `pooling weights exist only in attention mode). Remove the wire or change the block.`,
          node: e.from.node,
          port: e.from.port,
          edge: e.id,
        });
        blocked = true;
        continue;
      }
      if (!port.accepts.includes(shape.kind)) {
        diagnostics.push({
          ...portKindProblem(shape, port, { id, title: def.title }, e.from.node),
          node: id,
          port: port.name,
          edge: e.id,
        });
        blocked = true;
        continue;
      }
      (info.inputs[port.name] ??= []).push(shape);
    }
    if (blocked) continue;
    const result = def.inferShapes(p, info.inputs, data);
    if (!result.ok) {
      info.status = 'error';
      // A missing required input is already reported as dangling-port by checkWires.
      if (result.problem.code !== 'dangling-port')
        diagnostics.push({ severity: 'error', node: id, ...result.problem });
      continue;
    }
    info.status = 'ok';
    info.outputs = result.outputs;
    info.weights = def.weights(p, info.inputs);
    info.paramCount = countWeights(info.weights);
    totalParams += info.paramCount;
  }
  return { order: topo.order, nodes, diagnostics, totalParams };
}
