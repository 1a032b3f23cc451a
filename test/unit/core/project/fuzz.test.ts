// Property tests: 12,000 random or damaged project files and graphs. None may crash or hang, and every
// rejection must name the field (project files) or the block/wire/field (graphs) it is about.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { catalog } from '../../../../core/catalog/index.js';
import { analyzeGraph } from '../../../../core/graph/index.js';
import type { Diagnostic, Graph } from '../../../../core/graph/types.js';
import {
  analyzeProject,
  parseProject,
  parseTemplate,
  type ProjectDoc,
} from '../../../../core/project/index.js';

const root = join(import.meta.dirname, '../../../..');
const templates: ProjectDoc[] = readdirSync(join(root, 'resources/templates'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const t = parseTemplate(JSON.parse(readFileSync(join(root, 'resources/templates', f), 'utf8')));
    if (!t.ok) throw new Error(f);
    return t.template.project;
  });

const GLOBAL_CODES = new Set(['no-input', 'no-head', 'task-mismatch']);

// Plain checks rather than expect() in the hot loop: 12,000 cases must stay fast.
function fail(why: string, what: unknown): never {
  throw new Error(`${why}: ${JSON.stringify(what)}`);
}

function checkDiagnostics(diags: Diagnostic[]): void {
  for (const d of diags) {
    if (d.message.length <= 10) fail('diagnostic without a real message', d);
    if (d.severity !== 'error' && d.severity !== 'warning') fail('bad severity', d);
    const addressed =
      d.node !== undefined || d.edge !== undefined || d.field !== undefined || GLOBAL_CODES.has(d.code);
    if (!addressed) fail('diagnostic that names no block, wire or field', d);
  }
}

function checkParse(raw: unknown): void {
  const result = parseProject(raw);
  if (result.ok) {
    checkDiagnostics(analyzeProject(result.project).diagnostics);
    return;
  }
  if (result.problems.length === 0) fail('rejection without problems', raw);
  for (const p of result.problems) {
    if (p.field.length === 0 || !p.message.startsWith(p.field))
      fail('problem that does not name its field', p);
  }
}

/** Sets, deletes or adds a key somewhere inside a JSON value, at a path chosen by the numbers given. */
function mutate(
  value: unknown,
  picks: number[],
  replacement: unknown,
  action: 'set' | 'delete' | 'add',
): unknown {
  const copy = structuredClone(value) as unknown;
  let at: unknown = copy;
  for (let i = 0; i < picks.length; i++) {
    if (at === null || typeof at !== 'object') break;
    const keys = Object.keys(at);
    if (keys.length === 0) break;
    const key = keys[picks[i]! % keys.length]!;
    const child = (at as Record<string, unknown>)[key];
    const last = i === picks.length - 1 || child === null || typeof child !== 'object';
    if (last) {
      if (action === 'delete' && !Array.isArray(at)) delete (at as Record<string, unknown>)[key];
      else if (action === 'add' && !Array.isArray(at))
        (at as Record<string, unknown>)[`extra${picks[0]}`] = replacement;
      else (at as Record<string, unknown>)[key] = replacement;
      break;
    }
    at = child;
  }
  return copy;
}

const kinds = [...catalog.map((d) => d.kind), 'bogus'];
const ports = ['in', 'out', 'state', 'memory', 'query', 'context', 'weights', 'nope'];
const smallValue = fc.oneof(
  fc.integer({ min: -3, max: 300 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constantFrom(
    'tanh',
    'relu',
    'lstm',
    'gru',
    'elman',
    'dense',
    'concat',
    'sum',
    'attention',
    'softmax',
    'linear',
    'tokens',
    'features',
    'source',
    'target',
    '',
  ),
  fc.constant(null),
  fc.record({
    kind: fc.constantFrom('lstm', 'gru', 'elman', 'dense'),
    params: fc.dictionary(
      fc.constantFrom('units', 'resetAfter', 'returnSequences'),
      fc.oneof(fc.integer({ min: -1, max: 40 }), fc.boolean()),
    ),
  }),
);
const paramNames = [
  ...new Set(catalog.flatMap((d) => Object.keys(d.params.parse({}) as object))),
  'layers',
  'features',
  'wat',
];

const randomGraph: fc.Arbitrary<Graph> = fc
  .array(
    fc.record({
      kind: fc.constantFrom(...kinds),
      params: fc.dictionary(fc.constantFrom(...paramNames), smallValue, { maxKeys: 4 }),
    }),
    { minLength: 0, maxLength: 9 },
  )
  .chain((nodes) =>
    fc.record({
      nodes: fc.constant(nodes.map((n, i) => ({ id: `n${i}`, ...n }))),
      edges: fc
        .array(
          fc.record({
            from: fc.record({
              node: fc.integer({ min: 0, max: Math.max(0, nodes.length) }).map((i) => `n${i}`),
              port: fc.constantFrom(...ports),
            }),
            to: fc.record({
              node: fc.integer({ min: 0, max: Math.max(0, nodes.length) }).map((i) => `n${i}`),
              port: fc.constantFrom(...ports),
            }),
          }),
          { maxLength: 14 },
        )
        .map((edges) => edges.map((e, i) => ({ id: `e${i}`, ...e }))),
    }),
  );

describe('fuzzing project files and graphs (12,000 cases)', () => {
  it('survives 3,000 arbitrary JSON values as project files', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 4 }),
          fc.record({
            formatVersion: fc.constantFrom(1, 2, 3, '2', 2.5),
            name: fc.jsonValue({ maxDepth: 1 }),
          }),
        ),
        (raw) => checkParse(raw),
      ),
      { numRuns: 3000, seed: 31 },
    );
  });

  it('survives 4,000 damaged templates (fields replaced, deleted, added)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...templates),
        fc.array(fc.nat(40), { minLength: 1, maxLength: 7 }),
        fc.oneof(smallValue, fc.jsonValue({ maxDepth: 2 })),
        fc.constantFrom('set' as const, 'delete' as const, 'add' as const),
        (template, picks, replacement, action) => checkParse(mutate(template, picks, replacement, action)),
      ),
      { numRuns: 4000, seed: 32 },
    );
  });

  it('survives 5,000 random graphs of any kinds, params and wires', () => {
    fc.assert(
      fc.property(
        randomGraph,
        fc.constantFrom(
          undefined,
          'classification',
          'regression',
          'tagging',
          'language-model',
          'seq2seq' as const,
        ),
        (graph, task) => {
          const analysis = analyzeGraph(
            graph,
            task ? { task, data: { vocabularySize: 30, headUnits: 3 } } : {},
          );
          checkDiagnostics(analysis.diagnostics);
          // Every node that inferred has non-negative whole parameter counts.
          for (const n of Object.values(analysis.inference.nodes))
            if (!Number.isInteger(n.paramCount) || n.paramCount < 0) fail('bad count', n);
        },
      ),
      { numRuns: 5000, seed: 33 },
    );
  });
});
