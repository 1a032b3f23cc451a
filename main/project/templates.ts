// Templates from resources/templates/: listed for the New menu and `rnn-studio templates`, and turned
// into a new project (with the bundled files they name copied in).
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { parseTemplate, type Template } from '../../core/project/index.js';
import { ProjectError } from './limits.js';

export interface TemplateInfo {
  id: string;
  title: string;
  description: string;
  task: string;
}

export async function listTemplates(resourcesDir: string): Promise<TemplateInfo[]> {
  const folder = join(resourcesDir, 'templates');
  const names = (await readdir(folder)).filter((n) => n.endsWith('.json')).sort();
  const out: TemplateInfo[] = [];
  for (const name of names) {
    const t = await loadTemplateFile(join(folder, name));
    out.push({ id: t.meta.id, title: t.meta.title, description: t.meta.description, task: t.project.task });
  }
  return out;
}

async function loadTemplateFile(file: string): Promise<Template> {
  const parsed = parseTemplate(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.ok)
    throw new ProjectError(
      `Template ${file} is broken: ${parsed.problems.map((p) => p.message).join('; ')}`,
      'internal',
      file,
    );
  return parsed.template;
}

/** A template's project plus the bundled files it copies into the zip (missing ones are left out). */
export async function loadTemplate(
  resourcesDir: string,
  id: string,
): Promise<{ template: Template; files: Map<string, Uint8Array> }> {
  if (!/^[a-z0-9-]{1,64}$/.test(id))
    throw new ProjectError(`There is no template "${id}".`, 'not-found', 'templateId');
  let template: Template;
  try {
    template = await loadTemplateFile(join(resourcesDir, 'templates', `${id}.json`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      const known = (await listTemplates(resourcesDir)).map((t) => t.id).join(', ');
      throw new ProjectError(`There is no template "${id}". Templates: ${known}.`, 'not-found', 'templateId');
    }
    throw error;
  }
  const files = new Map<string, Uint8Array>();
  const root = resolve(resourcesDir);
  for (const [entry, relative] of Object.entries(template.meta.files)) {
    const source = resolve(root, relative);
    if (!source.startsWith(root + sep))
      throw new ProjectError(`Template ${id} names a file outside resources/: ${relative}`, 'internal');
    try {
      files.set(entry, new Uint8Array(await readFile(source)));
    } catch {
      // The bundled dataset is missing from this install: the project opens, and the data tab says so.
    }
  }
  return { template, files };
}
