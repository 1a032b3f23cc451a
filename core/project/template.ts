// A template is a project.json (current format) with a `template` block on top: its id, title, one-line
// description, and files to copy into the new project's zip (bundled datasets, by resources/ path).
import { z } from 'zod';
import { zodProblems, type FieldProblem } from '../catalog/zod-messages.js';
import { parseProject } from './parse.js';
import type { ProjectDoc } from './schema.js';

export const TemplateMetaSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  title: z.string().min(1).max(200),
  description: z.string().min(1).max(500),
  /** Zip entry -> path under resources/ (e.g. `data/corpus.txt` -> `datasets/char-lm/corpus.txt`). */
  files: z.record(z.string().max(256), z.string().max(256)).default({}),
});
export type TemplateMeta = z.output<typeof TemplateMetaSchema>;

export interface Template {
  meta: TemplateMeta;
  project: ProjectDoc;
}

export function parseTemplate(
  raw: unknown,
): { ok: true; template: Template } | { ok: false; problems: FieldProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ field: '(top level)', message: 'a template holds a JSON object' }] };
  }
  const { template, ...doc } = raw as Record<string, unknown>;
  const meta = TemplateMetaSchema.safeParse(template);
  if (!meta.success) return { ok: false, problems: zodProblems(meta.error, 'template') };
  const project = parseProject(doc);
  if (!project.ok) return project;
  return { ok: true, template: { meta: meta.data, project: project.project } };
}
