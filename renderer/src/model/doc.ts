// The project document (project.json) as the studio edits it. The full schema and its migrations live in
// core/project; the UI only needs the graph, the node positions, the task, the dataset and the training
// settings, and must keep every other field it does not know untouched.
import type { Graph, GraphNode } from '../../../core/graph/types.js';
import type { ProjectDoc as CoreProjectDoc } from '../../../core/project/schema.js';

export interface Position {
  x: number;
  y: number;
}

/** The document as a session answer gives it (core/project's schema): what `project.update` sends back. */
export type ProjectDoc = CoreProjectDoc;

/** A document from a session answer or read back from the undo history (JSON), with a graph always. */
export function asProjectDoc(raw: Record<string, unknown>): ProjectDoc {
  const graph = raw.graph as Partial<Graph> | undefined;
  const nodes = Array.isArray(graph?.nodes) ? graph.nodes : [];
  const edges = Array.isArray(graph?.edges) ? graph.edges : [];
  return { ...raw, graph: { ...graph, nodes, edges } } as ProjectDoc;
}

export function cloneDoc(doc: ProjectDoc): ProjectDoc {
  return structuredClone(doc) as ProjectDoc;
}

/**
 * Node positions. project.json keeps them under `layout.nodes` ({ id: { x, y } }); older drafts kept the
 * map directly under `layout`, which is read too.
 */
export function positionsOf(doc: ProjectDoc): Record<string, Position> {
  const layout = doc.layout as Record<string, unknown> | undefined;
  if (!layout || typeof layout !== 'object') return {};
  const map = (layout.nodes && typeof layout.nodes === 'object' ? layout.nodes : layout) as Record<
    string,
    unknown
  >;
  const out: Record<string, Position> = {};
  for (const [id, value] of Object.entries(map)) {
    const p = value as Partial<Position> | null;
    if (p && typeof p.x === 'number' && typeof p.y === 'number') out[id] = { x: p.x, y: p.y };
  }
  return out;
}

/** Writes positions back in place (doc is a working copy). */
export function setPositions(doc: ProjectDoc, positions: Record<string, Position>): void {
  const layout = (doc.layout && typeof doc.layout === 'object' ? doc.layout : {}) as Record<string, unknown>;
  const rounded: Record<string, Position> = {};
  for (const [id, p] of Object.entries(positions)) rounded[id] = { x: Math.round(p.x), y: Math.round(p.y) };
  doc.layout = { ...layout, nodes: rounded };
}

export function findNode(doc: ProjectDoc, id: string): GraphNode | undefined {
  return doc.graph.nodes.find((n) => n.id === id);
}
