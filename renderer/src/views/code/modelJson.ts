// The "model JSON" shown in the Code tab: the task and the graph of the project (positions and training
// settings have their own editors). Parsed with core's graph schema; problems say the line or the field.
import { z } from 'zod';
import { GraphSchema } from '../../../../core/graph/schema.js';
import { TaskIdSchema } from '../../../../core/data/spec.js';
import type { ProjectDoc } from '../../model/doc.js';

export const ModelJsonSchema = z.strictObject({ task: TaskIdSchema, graph: GraphSchema });
export type ModelJson = z.output<typeof ModelJsonSchema>;

export function modelJsonOf(doc: ProjectDoc): string {
  return JSON.stringify({ task: doc.task, graph: doc.graph }, null, 2);
}

export type ParsedModel = { ok: true; model: ModelJson } | { ok: false; line?: number; message: string };

/** Reads the editor text; a syntax error names its line, a schema error its field path. */
export function parseModelJson(text: string): ParsedModel {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : undefined;
    return { ok: false, message, ...(line ? { line } : {}) };
  }
  const parsed = ModelJsonSchema.safeParse(raw);
  if (parsed.success) return { ok: true, model: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, message: `${issue.path.join('.') || 'model'}: ${issue.message}` };
}
