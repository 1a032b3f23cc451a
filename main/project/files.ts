// One-shot reads and writes of project files, for the CLI and scripts (no store, no recovery folder).
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { serializeProject, type ProjectDoc } from '../../core/project/index.js';
import { atomicWrite, cleanupProjectTemps } from './atomic.js';
import { projectFromJson } from './from-json.js';
import { markInterruptedRuns } from './interruptedRuns.js';
import { DEFAULT_LIMITS, ProjectError, type ImportLimits } from './limits.js';
import { loadTemplate } from './templates.js';
import { readProjectZip } from './zip-read.js';
import { writeProjectZip } from './zip-write.js';

export interface ProjectFile {
  doc: ProjectDoc;
  entries: Map<string, Uint8Array>;
}

/**
 * Reads a .rnnproj (or a project/architecture .json) with the import limits. Like every open, it first
 * removes the temps that killed saves of this file left beside it, and lists runs cut off by a kill as
 * stopped (interruptedRuns.ts).
 */
export async function readProjectFile(path: string, limits: ImportLimits = DEFAULT_LIMITS): Promise<ProjectFile> {
  const full = resolve(path);
  await cleanupProjectTemps(full);
  let size: number;
  try {
    size = (await stat(full)).size;
  } catch {
    throw new ProjectError(`There is no file at ${full}.`, 'not-found', full);
  }
  if (size > limits.maxFileBytes) throw new ProjectError(`${basename(full)} is larger than the ${limits.maxFileBytes} bytes a project may have.`, 'invalid-input', full);
  const bytes = new Uint8Array(await readFile(full));
  if (extname(full).toLowerCase() === '.json' || bytes[0] === 0x7b) return { doc: projectFromJson(basename(full), bytes, limits), entries: new Map() };
  const entries = readProjectZip(bytes, limits);
  const json = entries.get('project.json');
  if (!json) throw new ProjectError(`${basename(full)} has no project.json: it is not an RNN Studio project.`, 'invalid-input', 'project.json');
  entries.delete('project.json');
  const doc = markInterruptedRuns(projectFromJson('project.json', json, limits), (name) => entries.get(name));
  return { doc, entries };
}

export async function writeProjectFile(path: string, project: ProjectFile): Promise<void> {
  await atomicWrite(resolve(path), writeProjectZip(serializeProject(project.doc), project.entries));
}

/** A new .rnnproj from a template (with its bundled files). */
export async function newProjectFile(resourcesDir: string, templateId: string, path: string): Promise<ProjectFile> {
  const { template, files } = await loadTemplate(resourcesDir, templateId);
  const project = { doc: template.project, entries: files };
  await writeProjectFile(path, project);
  return project;
}
