// JSON → project document: a project.json (any format version, migrated) or an architecture-only JSON
// (a new project around that graph). Untrusted: size and depth are checked before parsing.
import {
  CURRENT_FORMAT_VERSION,
  isArchitecture,
  parseArchitecture,
  parseProject,
  ProjectSchema,
  type ProjectDoc,
} from '../../core/project/index.js';
import { ProjectError, parseJsonSafely, type ImportLimits } from './limits.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function projectFromJson(what: string, bytes: Uint8Array, limits: ImportLimits): ProjectDoc {
  if (bytes.length > limits.maxProjectJsonBytes) {
    throw new ProjectError(
      `${what} is larger than the ${limits.maxProjectJsonBytes} bytes allowed.`,
      'invalid-input',
      what,
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ProjectError(`${what} is not UTF-8 text.`, 'invalid-input', what);
  }
  const raw = parseJsonSafely(text.replace(/^\uFEFF/, ''), what, limits);
  if (isArchitecture(raw)) {
    const parsed = parseArchitecture(raw);
    if (!parsed.ok) throw problems(what, parsed.problems);
    const a = parsed.architecture;
    return ProjectSchema.parse({
      formatVersion: CURRENT_FORMAT_VERSION,
      name: a.name,
      task: a.task,
      graph: a.graph,
      layout: a.layout,
    });
  }
  const parsed = parseProject(raw);
  if (!parsed.ok) throw problems(what, parsed.problems);
  return parsed.project;
}

function problems(what: string, list: { field: string; message: string }[]): ProjectError {
  const shown = list.slice(0, 10).map((p) => `  ${p.message}`);
  const more = list.length > 10 ? [`  … and ${list.length - 10} more`] : [];
  return new ProjectError(
    [`${what} is not a valid project:`, ...shown, ...more].join('\n'),
    'invalid-input',
    list[0]?.field,
  );
}
