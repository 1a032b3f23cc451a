// Checks of the wiring itself, before any shape is known: ids, kinds, params, wires to real ports, one
// wire per single input, required inputs connected, no cycles.
import { getLayerKind, parseParams, type LayerKindDef } from '../catalog/index.js';
import { describeCycle, topologicalOrder } from './order.js';
import type { Diagnostic, Graph } from './types.js';

const WRAPPERS = new Set(['bidirectional', 'stack', 'encoder', 'decoder']);

function error(
  code: string,
  message: string,
  where: Omit<Diagnostic, 'severity' | 'code' | 'message'> = {},
): Diagnostic {
  return { severity: 'error', code, message, ...where };
}

/** Parses every node's params; returns them by node id plus a diagnostic per bad field. */
export function checkNodes(graph: Graph): {
  params: Map<string, Record<string, unknown>>;
  diagnostics: Diagnostic[];
} {
  const params = new Map<string, Record<string, unknown>>();
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const node of graph.nodes) {
    if (seen.has(node.id)) {
      diagnostics.push(
        error('duplicate-id', `Two blocks are called "${node.id}". Rename one: ids name the weights.`, {
          node: node.id,
          field: 'id',
        }),
      );
      continue;
    }
    seen.add(node.id);
    if (!getLayerKind(node.kind)) {
      diagnostics.push(
        error(
          'unknown-kind',
          `Block "${node.id}" has an unknown kind "${node.kind}". Replace it with a block from the palette.`,
          { node: node.id, field: 'kind' },
        ),
      );
      continue;
    }
    const parsed = parseParams(node.kind, node.params);
    if (parsed.ok) {
      params.set(node.id, parsed.params);
      continue;
    }
    for (const p of parsed.problems) {
      const notRecurrent = WRAPPERS.has(node.kind) && p.field === 'layer.kind';
      diagnostics.push(
        error(notRecurrent ? 'wrapper-not-recurrent' : 'invalid-param', `Block "${node.id}": ${p.message}`, {
          node: node.id,
          field: p.field,
        }),
      );
    }
  }
  return { params, diagnostics };
}

/** A wire end at a port its block does not have, naming the ports it has. */
function unknownPort(
  node: string,
  def: LayerKindDef,
  side: 'input' | 'output',
  port: string,
  edge: string,
): Diagnostic {
  const names = (side === 'input' ? def.inputs : def.outputs).map((p) => p.name).join(', ') || 'none';
  return error(
    'unknown-port',
    `Block "${node}" (${def.title}) has no ${side} "${port}"; its ${side}s are: ${names}.`,
    { node, port, edge },
  );
}

/**
 * Wires: known ends, output-to-input direction, single inputs taken once, required inputs connected, no
 * cycle.
 */
export function checkWires(graph: Graph): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const taken = new Map<string, string>();
  const edgeIds = new Set<string>();
  for (const e of graph.edges) {
    if (edgeIds.has(e.id))
      diagnostics.push(error('duplicate-id', `Two wires are called "${e.id}".`, { edge: e.id }));
    edgeIds.add(e.id);
    const from = nodes.get(e.from.node);
    const to = nodes.get(e.to.node);
    if (!from || !to) {
      const missing = !from ? e.from.node : e.to.node;
      diagnostics.push(
        error(
          'dangling-edge',
          `Wire "${e.id}" ends at a block "${missing}" that does not exist. Delete the wire.`,
          { edge: e.id },
        ),
      );
      continue;
    }
    const fromDef = getLayerKind(from.kind);
    const toDef = getLayerKind(to.kind);
    if (fromDef && !fromDef.outputs.some((p) => p.name === e.from.port))
      diagnostics.push(unknownPort(from.id, fromDef, 'output', e.from.port, e.id));
    if (toDef) {
      const port = toDef.inputs.find((p) => p.name === e.to.port);
      if (!port) diagnostics.push(unknownPort(to.id, toDef, 'input', e.to.port, e.id));
      else if (!port.multiple) {
        const key = `${to.id}\u0000${e.to.port}`;
        if (taken.has(key)) {
          diagnostics.push(
            error(
              'port-taken',
              `Input "${e.to.port}" of "${to.id}" already has a wire ("${taken.get(key)}"). Use a ` +
                `Concatenate or Add block to join several.`,
              { node: to.id, port: e.to.port, edge: e.id },
            ),
          );
        } else taken.set(key, e.id);
      }
    }
  }
  const wired = new Set(graph.edges.map((e) => `${e.to.node}\u0000${e.to.port}`));
  for (const node of graph.nodes) {
    const def = getLayerKind(node.kind);
    for (const port of def?.inputs ?? []) {
      if (port.optional || wired.has(`${node.id}\u0000${port.name}`)) continue;
      if (node.kind === 'decoder' && port.name === 'state') continue; // reported as decoder-without-state
      // Reported as attention-without-memory.
      if (node.kind === 'attention' && port.name === 'memory') continue;
      diagnostics.push(
        error(
          'dangling-port',
          `Input "${port.name}" of "${node.id}" (${def!.title}) is not connected. Wire a ` +
            `${port.accepts.join(' or ')} into it.`,
          { node: node.id, port: port.name },
        ),
      );
    }
  }
  const topo = topologicalOrder(graph);
  if (!topo.ok) {
    const loop = describeCycle(topo.cycle);
    diagnostics.push(
      error(
        'cycle',
        `The wires form a loop (${loop}). Models are drawn without loops — recurrence happens inside ` +
          `recurrent blocks. Remove one wire of the loop.`,
        { node: topo.cycle[0] },
      ),
    );
  }
  return diagnostics;
}
