// Format 1 (the first prototype's file) -> format 2.
// Format 1 kept the graph under `model`, each node's canvas position inside the node, and wrote wires as
// "node.port" strings without ids. Format 2 separates the graph (what the engine needs) from the layout
// (what only the canvas needs), gives every wire an id, and adds `description` and `runs`.
import { z } from 'zod';

const PortString = z.string().regex(/^[^.]+\.[^.]+$/, 'a wire end is written "node.port"');

export const ProjectV1Schema = z.looseObject({
  formatVersion: z.literal(1),
  name: z.string(),
  task: z.string(),
  model: z.strictObject({
    nodes: z
      .array(
        z.strictObject({
          id: z.string(),
          kind: z.string(),
          label: z.string().optional(),
          params: z.record(z.string(), z.unknown()).default({}),
          position: z.strictObject({ x: z.number(), y: z.number() }).optional(),
        }),
      )
      .max(500),
    edges: z.array(z.strictObject({ from: PortString, to: PortString })).max(2000),
  }),
  dataset: z.unknown().optional(),
  training: z.unknown().optional(),
});
type ProjectV1 = z.output<typeof ProjectV1Schema>;

function portRef(text: string): { node: string; port: string } {
  const [node = '', port = ''] = text.split('.');
  return { node, port };
}

export function migrateV1toV2(v1: ProjectV1): Record<string, unknown> {
  // fromEntries: block ids are user text, stored as own keys whatever they are.
  const positions = Object.fromEntries(
    v1.model.nodes.flatMap((node) => (node.position ? [[node.id, node.position] as const] : [])),
  );
  const { model: _model, formatVersion: _version, ...rest } = v1;
  return {
    ...rest,
    formatVersion: 2,
    description: '',
    graph: {
      nodes: v1.model.nodes.map(({ position: _p, ...node }) => node),
      edges: v1.model.edges.map((e, i) => ({ id: `e${i + 1}`, from: portRef(e.from), to: portRef(e.to) })),
    },
    layout: { nodes: positions },
    runs: [],
  };
}
