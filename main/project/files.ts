// One-shot reads and writes of project files, for the CLI and scripts (no store, no recovery folder).
import { basename, extname, resolve } from 'node:path';
import { serializeProject, type ProjectDoc } from '../../core/project/index.js';
import { anywhere, type FileAccess } from '../files/access.js';
import { readBounded } from '../files/read.js';
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
 * Reads a .rnnproj (or a project/architecture .json) with the import limits. Any regular file the user
 * names is fine (`access` narrows that); devices, pipes and folders are refused before a byte is read.
 * Like every open, it first removes the temps that killed saves of this file left beside it, and lists
 * runs cut off by a kill as stopped (interruptedRuns.ts).
 */
export async function readProjectFile(
  path: string,
  limits: ImportLimits = DEFAULT_LIMITS,
  access: FileAccess = anywhere(),
): Promise<ProjectFile> {
  const full = await access.readable(path);
  await cleanupProjectTemps(full);
  return projectFromBytes(
    basename(full),
    extname(full),
    await readBounded(full, limits.maxFileBytes, path),
    limits,
  );
}

/** A project's JSON on its own (by its name or its first byte), not a project zip. */
export function isProjectJson(fileName: string, bytes: Uint8Array, extension = extname(fileName)): boolean {
  return extension.toLowerCase() === '.json' || bytes[0] === 0x7b;
}

/**
 * A project from the bytes of a file: what `validate`, `summary` and the other CLI commands read, and
 * what the project fuzzer (test/main/project/fuzz.test.ts) drives in-process.
 */
export function projectFromBytes(
  fileName: string,
  extension: string,
  bytes: Uint8Array,
  limits: ImportLimits = DEFAULT_LIMITS,
): ProjectFile {
  if (isProjectJson(fileName, bytes, extension))
    return { doc: projectFromJson(fileName, bytes, limits), entries: new Map() };
  const entries = readProjectZip(bytes, limits);
  const json = entries.get('project.json');
  if (!json)
    throw new ProjectError(
      `${fileName} has no project.json: it is not an RNN Studio project.`,
      'invalid-input',
      'project.json',
    );
  entries.delete('project.json');
  const doc = markInterruptedRuns(projectFromJson('project.json', json, limits), (name) => entries.get(name));
  return { doc, entries };
}

export async function writeProjectFile(
  path: string,
  project: ProjectFile,
  access: FileAccess = anywhere(),
): Promise<void> {
  await atomicWrite(
    await access.writable(resolve(path)),
    writeProjectZip(serializeProject(project.doc), project.entries),
  );
}

/** A new .rnnproj from a template (with its bundled files). */
export async function newProjectFile(
  resourcesDir: string,
  templateId: string,
  path: string,
): Promise<ProjectFile> {
  const { template, files } = await loadTemplate(resourcesDir, templateId);
  const project = { doc: template.project, entries: files };
  await writeProjectFile(path, project);
  return project;
}
