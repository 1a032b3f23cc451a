// Zod form of the graph types (types.ts), for files and payloads. Structure only: params are checked per
// kind by the catalog, wiring and shapes by validate.ts, so each problem gets its own precise message.
import { z } from 'zod';

/** Node ids prefix weight names (`lstm1/kernel`) and zip entries, so they are kept to safe characters. */
export const NodeIdSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    'an id starts with a letter and has at most 64 letters, digits, "_" or "-"',
  );

export const PortRefSchema = z.strictObject({
  node: z.string().min(1).max(64),
  port: z.string().min(1).max(64),
});

export const GraphNodeSchema = z.strictObject({
  id: NodeIdSchema,
  kind: z.string().min(1).max(64),
  label: z.string().max(200).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
});

export const GraphEdgeSchema = z.strictObject({
  id: z.string().min(1).max(128),
  from: PortRefSchema,
  to: PortRefSchema,
});

export const MAX_NODES = 500;
export const MAX_EDGES = 2000;

export const GraphSchema = z.strictObject({
  nodes: z.array(GraphNodeSchema).max(MAX_NODES),
  edges: z.array(GraphEdgeSchema).max(MAX_EDGES),
});
