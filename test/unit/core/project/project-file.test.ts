// project.json: every template validates; each older format version opens; canonical serialisation.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  analyzeProject,
  CURRENT_FORMAT_VERSION,
  OLDEST_FORMAT_VERSION,
  parseProject,
  parseTemplate,
  serializeProject,
} from '../../../../core/project/index.js';

const root = join(import.meta.dirname, '../../../..');
const fixtures = join(root, 'test/fixtures/project');
const templateDir = join(root, 'resources/templates');
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;

describe('templates', () => {
  const files = readdirSync(templateDir).filter((f) => f.endsWith('.json'));
  it('has the eight templates', () => {
    expect(files.map((f) => f.replace('.json', '')).sort()).toEqual([
      'adding-problem',
      'char-lm',
      'copy-task',
      'date-translation',
      'digit-addition',
      'sentiment',
      'state-space',
      'tagger',
    ]);
  });
  it.each(files)('%s parses and validates without errors', (file) => {
    const parsed = parseTemplate(read(join(templateDir, file)));
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
    expect(parsed.template.meta.id).toBe(file.replace('.json', ''));
    const analysis = analyzeProject(parsed.template.project);
    expect(analysis.diagnostics).toEqual([]);
    expect(parsed.template.project.dataset?.task).toBe(parsed.template.project.task);
    for (const id of Object.keys(analysis.inference.nodes))
      expect(analysis.inference.nodes[id]!.status, id).toBe('ok');
  });
});

describe('format versions', () => {
  it('keeps a fixture for every format version from the oldest to the current', () => {
    const names = readdirSync(fixtures);
    for (let v = OLDEST_FORMAT_VERSION; v <= CURRENT_FORMAT_VERSION; v++)
      expect(
        names.some((n) => n.startsWith(`v${v}-`)),
        `fixture v${v}`,
      ).toBe(true);
  });

  it.each(readdirSync(fixtures).filter((f) => /^v\d+-.*\.json$/.test(f)))(
    '%s opens in the current format',
    (file) => {
      const result = parseProject(read(join(fixtures, file)));
      if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
      expect(result.project.formatVersion).toBe(CURRENT_FORMAT_VERSION);
      expect(analyzeProject(result.project).ok).toBe(true);
      const version = Number(/^v(\d+)/.exec(file)![1]);
      expect(result.migratedFrom).toBe(version < CURRENT_FORMAT_VERSION ? version : undefined);
    },
  );

  it('migrates format 1 positions and "node.port" wires', () => {
    const result = parseProject(read(join(fixtures, 'v1-sentiment.json')));
    expect(result.ok && result.project.layout.nodes.tokens).toEqual({ x: 80, y: 120 });
    expect(result.ok && result.project.graph.edges[0]).toEqual({
      id: 'e1',
      from: { node: 'tokens', port: 'out' },
      to: { node: 'embed', port: 'in' },
    });
    expect(result.ok && result.project.runs).toEqual([]);
  });

  it('refuses newer formats and damaged old ones, naming the field', () => {
    expect(parseProject({ formatVersion: 99 })).toMatchObject({
      ok: false,
      problems: [{ field: 'formatVersion' }],
    });
    const damaged = parseProject({
      formatVersion: 1,
      name: 'x',
      task: 'tagging',
      model: { nodes: [], edges: [{ from: 'a', to: 'b.in' }] },
    });
    expect(!damaged.ok && damaged.problems[0]?.field).toBe('model.edges[0].from');
    expect(!damaged.ok && damaged.problems[0]?.message).toContain('format 1');
  });
});

describe('serializeProject', () => {
  it('writes the same bytes whatever the key order of the input, and round-trips', () => {
    const parsed = parseProject(read(join(fixtures, 'v2-date-translation-with-run.json')));
    if (!parsed.ok) throw new Error('fixture');
    const text = serializeProject(parsed.project);
    const shuffled = JSON.parse(text, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ) as unknown;
    const again = parseProject(shuffled);
    expect(again.ok && serializeProject(again.project)).toBe(text);
    expect(Object.keys(JSON.parse(text) as object).slice(0, 5)).toEqual([
      'formatVersion',
      'name',
      'description',
      'task',
      'graph',
    ]);
  });
});
