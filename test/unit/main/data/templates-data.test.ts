// Every template's dataset builds: generated or bundled examples → split → vocabulary → padded batches
// with the tensors its task promises (TASKS[task].batch).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../../../core/data/dataset.js';
import { createRandom } from '../../../../core/data/random.js';
import { DatasetSpecSchema } from '../../../../core/data/spec.js';
import { TASKS } from '../../../../core/data/tasks.js';
import { loadDataset, makeBatches } from '../../../../main/data/index.js';
import { resourcesDir } from '../../../../main/host/appInfo.js';

const templates = readdirSync(join(resourcesDir, 'templates')).filter((f) => f.endsWith('.json'));

describe('template datasets', () => {
  it.each(templates)('%s builds into batches', async (file) => {
    const t = JSON.parse(readFileSync(join(resourcesDir, 'templates', file), 'utf8')) as {
      dataset: unknown;
      template: { files?: Record<string, string> };
    };
    const spec = DatasetSpecSchema.parse(t.dataset);
    // Small counts keep this fast; the bundled files are read as the project zip would hold them.
    if (spec.source.kind === 'generator') spec.source.params = { ...spec.source.params, count: 200 };
    const files = Object.fromEntries(
      Object.entries(t.template.files ?? {}).map(([entry, res]) => [
        entry,
        new Uint8Array(readFileSync(join(resourcesDir, res))),
      ]),
    );
    const { examples } = await loadDataset(spec, (name) => files[name]);
    const built = buildDataset(spec, examples);
    expect(built.errors).toEqual([]);
    expect(built.train.length).toBeGreaterThan(0);
    const [batch] = makeBatches(built.train, {
      task: spec.task,
      batchSize: 8,
      bucketing: spec.bucketing,
      random: createRandom(1),
    });
    const expected = TASKS[spec.task].batch.map((k) =>
      k === 'tokens' && built.train[0]!.features ? 'features' : k,
    );
    expect(Object.keys(batch!).sort()).toEqual([...expected].sort());
  });
});
