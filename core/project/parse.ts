// Reading and writing project.json: version check, forward migrations, schema parse, and a stable,
// canonical JSON form (the same document always gives the same bytes, so saves diff cleanly).
import { zodProblems, type FieldProblem } from '../catalog/zod-messages.js';
import { graphFileProblems, graphOf } from './graph-problems.js';
import { migrations, OLDEST_FORMAT_VERSION } from './migrations/index.js';
import { CURRENT_FORMAT_VERSION, ProjectSchema, type ProjectDoc } from './schema.js';

export type ParseProjectResult =
  { ok: true; project: ProjectDoc; migratedFrom?: number } | { ok: false; problems: FieldProblem[] };

function failure(field: string, message: string): ParseProjectResult {
  return { ok: false, problems: [{ field, message: `${field}: ${message}` }] };
}

/** Parses an untrusted project.json value (already JSON-parsed), migrating older formats forward. */
export function parseProject(raw: unknown): ParseProjectResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return failure('(top level)', 'a project file holds a JSON object.');
  }
  const version = (raw as { formatVersion?: unknown }).formatVersion;
  const bare = raw as { nodes?: unknown; edges?: unknown };
  if (version === undefined && Array.isArray(bare.nodes) && Array.isArray(bare.edges)) {
    const message =
      'this file holds a bare graph (nodes and wires) without the project around it. Open a project ' +
      '(.rnnproj or project.json) or an architecture file (a model exported as JSON), or paste the graph ' +
      'into the model JSON in the Code tab of a project.';
    return {
      ok: false,
      problems: [
        { field: '(top level)', message: `(top level): ${message}` },
        ...graphFileProblems(raw, '(top level)'),
      ],
    };
  }
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return failure(
      'formatVersion',
      `expected a whole number (this build writes ${CURRENT_FORMAT_VERSION}), got ` +
        `${JSON.stringify(version) ?? 'nothing'}.`,
    );
  }
  if (version > CURRENT_FORMAT_VERSION) {
    return failure(
      'formatVersion',
      `this project was saved by a newer RNN Studio (format ${version}); this one reads formats ` +
        `${OLDEST_FORMAT_VERSION} to ${CURRENT_FORMAT_VERSION}. Update RNN Studio to open it.`,
    );
  }
  if (version < OLDEST_FORMAT_VERSION) {
    return failure(
      'formatVersion',
      `format ${version} is older than any RNN Studio release (oldest is ${OLDEST_FORMAT_VERSION}).`,
    );
  }
  let doc: unknown = raw;
  for (const step of migrations) {
    if (step.from < version) continue;
    const parsed = step.schema.safeParse(doc);
    if (!parsed.success) {
      const problems = zodProblems(parsed.error).map((p) => ({
        ...p,
        message: `${p.message} (in a format ${step.from} file)`,
      }));
      return { ok: false, problems: [...problems, ...graphFileProblems(graphOf(doc))] };
    }
    doc = step.migrate(parsed.data as never);
  }
  const result = ProjectSchema.safeParse(doc);
  if (!result.success)
    return { ok: false, problems: [...zodProblems(result.error), ...graphFileProblems(graphOf(doc))] };
  return version < CURRENT_FORMAT_VERSION
    ? { ok: true, project: result.data, migratedFrom: version }
    : { ok: true, project: result.data };
}

// Keys a person looks for first come first (in this order); every other key follows alphabetically.
const KEY_ORDER = [
  'formatVersion',
  'name',
  'description',
  'task',
  'graph',
  'layout',
  'dataset',
  'training',
  'runs',
  'id',
  'kind',
  'label',
  'nodes',
  'edges',
  'from',
  'to',
  'node',
  'port',
  'params',
];

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined);
  keys.sort((a, b) => {
    const ia = KEY_ORDER.indexOf(a);
    const ib = KEY_ORDER.indexOf(b);
    if (ia !== ib) return (ia < 0 ? KEY_ORDER.length : ia) - (ib < 0 ? KEY_ORDER.length : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  // fromEntries defines own properties: a `__proto__` key in user data stays a key, not a prototype.
  return Object.fromEntries(keys.map((key) => [key, canonical(record[key])]));
}

/** project.json text in canonical key order (KEY_ORDER, then alphabetical), 2-space indent. */
export function serializeProject(project: ProjectDoc): string {
  return `${JSON.stringify(canonical(project), null, 2)}\n`;
}
