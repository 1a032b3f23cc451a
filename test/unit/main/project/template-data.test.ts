// Every template's graph is already sized to the data its dataset builds (vocabulary, classes/tags,
// features), so a new project shows no size problems once the data is built, and the summary's
// parameter counts are the ones that train.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeGraph, fitGraphToData } from '../../../../core/graph/index.js';
import { dataFactsOf, parseTemplate } from '../../../../core/project/index.js';
import { loadDataset } from '../../../../main/data/index.js';
import { buildProjectData } from '../../../../main/training/projectData.js';

const root = join(import.meta.dirname, '../../../..');
const files = readdirSync(join(root, 'resources/templates')).filter((f) => f.endsWith('.json'));

describe('templates are sized to their data', () => {
  it.each(files)('%s', async (file) => {
    const parsed = parseTemplate(JSON.parse(readFileSync(join(root, 'resources/templates', file), 'utf8')));
    if (!parsed.ok) throw new Error(file);
    const { meta, project } = parsed.template;
    const bundled: Record<string, Uint8Array> = {};
    for (const [entry, path] of Object.entries(meta.files))
      bundled[entry] = new Uint8Array(readFileSync(join(root, 'resources', path)));
    const built = await buildProjectData(
      project,
      bundled,
      null,
      async (spec, f) => (await loadDataset(spec, (n) => f[n])).examples,
    );
    const features = built.data.train.batch([0]).features?.shape[2];
    const facts = { ...dataFactsOf({ ...project, dataset: built.spec }), ...(features ? { features } : {}) };
    expect(fitGraphToData(project.graph, facts).changes).toEqual([]);
    expect(analyzeGraph(project.graph, { task: project.task, data: facts }).diagnostics).toEqual([]);
  });
});
