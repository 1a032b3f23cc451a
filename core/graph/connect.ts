// Connecting an output port to an input port, refusing a wire that cannot be valid before it is drawn:
// unknown blocks or ports, a block feeding itself, a wire that already exists, a wire that would close a
// loop, and what flows out of the source not being what the input accepts. The port rules are the
// validator's own (catalog ports, inferred shapes, portKindProblem), so the refusal reads exactly as the
// Problems strip would. A valid wire into a single input that already has one replaces it; a refused one
// leaves the graph, and that wire, as they were.
import { getLayerKind } from '../catalog/index.js';
import { own } from '../records/own.js';
import type { DataFacts } from '../catalog/types.js';
import { inferGraph, portKindProblem } from './infer.js';
import { freshEdgeId } from './ops.js';
import { describeCycle, topologicalOrder } from './order.js';
import type { Graph, GraphEdge, PortRef } from './types.js';

export type ConnectRefusalCode =
  'missing' | 'self' | 'unknown-port' | 'duplicate' | 'cycle' | 'port-kind-mismatch';

export type ConnectResult =
  | { ok: true; graph: Graph; edge: GraphEdge; replaced: GraphEdge[] }
  | { ok: false; code: ConnectRefusalCode; message: string };

function refuse(code: ConnectRefusalCode, message: string): ConnectResult {
  return { ok: false, code, message };
}

const samePort = (a: PortRef, b: PortRef) => a.node === b.node && a.port === b.port;

export function connect(graph: Graph, from: PortRef, to: PortRef, data: DataFacts = {}): ConnectResult {
  const source = graph.nodes.find((n) => n.id === from.node);
  const target = graph.nodes.find((n) => n.id === to.node);
  if (!source || !target)
    return refuse('missing', `There is no block "${!source ? from.node : to.node}" to wire.`);
  if (from.node === to.node) {
    return refuse(
      'self',
      `"${from.node}" cannot feed itself: recurrence happens inside recurrent blocks (LSTM, GRU, Elman RNN).`,
    );
  }
  const sourceDef = getLayerKind(source.kind);
  const targetDef = getLayerKind(target.kind);
  const output = sourceDef?.outputs.find((p) => p.name === from.port);
  const input = targetDef?.inputs.find((p) => p.name === to.port);
  if (!sourceDef || !output)
    return refuse('unknown-port', `Block "${from.node}" has no output "${from.port}".`);
  if (!targetDef || !input) return refuse('unknown-port', `Block "${to.node}" has no input "${to.port}".`);
  if (graph.edges.some((e) => samePort(e.from, from) && samePort(e.to, to))) {
    return refuse('duplicate', `"${from.node}" is already wired to "${to.node}" there.`);
  }

  const replaced = input.multiple ? [] : graph.edges.filter((e) => samePort(e.to, to));
  const edge: GraphEdge = { id: freshEdgeId(graph, from, to), from, to };
  const next: Graph = {
    nodes: graph.nodes,
    edges: [...graph.edges.filter((e) => !replaced.includes(e)), edge],
  };

  // No block allows a loop of wires: the engine runs blocks in wire order, and recurrence over time
  // happens inside the recurrent blocks themselves.
  const topo = topologicalOrder(next);
  if (!topo.ok) {
    return refuse(
      'cycle',
      `This wire would close a loop (${describeCycle(topo.cycle)}). Recurrence happens inside recurrent ` +
        `blocks (LSTM, GRU, Elman RNN); models are drawn without loops.`,
    );
  }

  // What flows out of the source: its inferred shape when known, else every kind its port can carry.
  const upstream = inferGraph(graph, data).nodes[from.node];
  const shape = upstream?.status === 'ok' ? own(upstream.outputs, from.port) : undefined;
  if (shape && !input.accepts.includes(shape.kind)) {
    return refuse(
      'port-kind-mismatch',
      portKindProblem(shape, input, { id: to.node, title: targetDef.title }, from.node).message,
    );
  }
  if (upstream?.status === 'ok' && !shape) {
    return refuse(
      'port-kind-mismatch',
      `Output "${from.port}" of "${from.node}" is empty with its current settings, so it cannot feed ` +
        `"${to.node}".`,
    );
  }
  if (!shape && !output.kinds.some((k) => input.accepts.includes(k))) {
    return refuse(
      'port-kind-mismatch',
      `Input "${to.port}" of "${to.node}" (${targetDef.title}) takes ${input.accepts.join(' or ')}; ` +
        `output "${from.port}" of "${from.node}" gives ${output.kinds.join(' or ')}.`,
    );
  }
  return { ok: true, graph: next, edge, replaced };
}
