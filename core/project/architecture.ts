// Architecture-only JSON: the graph and its layout without data, weights or runs — to share a model
// design, diff it, or start a new project from it. `rnn-studio export <file> --format json` writes it.
import { z } from 'zod';
import { TaskIdSchema } from '../data/spec.js';
import { GraphSchema } from '../graph/schema.js';
import { zodProblems, type FieldProblem } from '../catalog/zod-messages.js';
import { LayoutSchema, type ProjectDoc } from './schema.js';
import { serializeProject } from './parse.js';
import { graphFileProblems, graphOf } from './graph-problems.js';

export const ARCHITECTURE_FORMAT = 'rnn-studio-architecture';

export const ArchitectureSchema = z.strictObject({
  format: z.literal(ARCHITECTURE_FORMAT),
  formatVersion: z.literal(1),
  name: z.string().min(1).max(200),
  task: TaskIdSchema,
  graph: GraphSchema,
  layout: LayoutSchema.prefault({}),
});
export type Architecture = z.output<typeof ArchitectureSchema>;

export function toArchitecture(project: ProjectDoc): Architecture {
  return {
    format: ARCHITECTURE_FORMAT,
    formatVersion: 1,
    name: project.name,
    task: project.task,
    graph: project.graph,
    layout: project.layout,
  };
}

/** Same canonical key order as project.json. */
export function serializeArchitecture(project: ProjectDoc): string {
  const { graph, layout } = JSON.parse(serializeProject(project)) as ProjectDoc;
  const file = {
    format: ARCHITECTURE_FORMAT,
    formatVersion: 1,
    name: project.name,
    task: project.task,
    graph,
    layout,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export function isArchitecture(raw: unknown): boolean {
  return (
    typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === ARCHITECTURE_FORMAT
  );
}

export function parseArchitecture(
  raw: unknown,
): { ok: true; architecture: Architecture } | { ok: false; problems: FieldProblem[] } {
  const result = ArchitectureSchema.safeParse(raw);
  if (result.success) return { ok: true, architecture: result.data };
  return { ok: false, problems: [...zodProblems(result.error), ...graphFileProblems(graphOf(raw))] };
}
