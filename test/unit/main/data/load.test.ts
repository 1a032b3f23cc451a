// Saved datasets read back: from the project zip, from a path (and a clear error when it moved), from a
// generator; the preview the Data tab shows; the import written into a project; the training reader.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../../../core/data/dataset.js';
import { DatasetSpecSchema } from '../../../../core/data/spec.js';
import type { ProjectDoc } from '../../../../core/project/index.js';
import {
  DataImportError,
  importDataset,
  importIntoProject,
  loadDataset,
  makeBatches,
  paddingReport,
  previewDataset,
} from '../../../../main/data/index.js';

const fixture = (name: string) => new URL(`../../../fixtures/data/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rnn-data-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadDataset', () => {
  it('reads an embedded dataset from the project zip with the saved columns', async () => {
    const imported = await importDataset({ path: fixture('reviews.csv') });
    const bytes = new Uint8Array(readFileSync(fixture('reviews.csv')));
    const loaded = await loadDataset(imported.spec, (name) =>
      name === 'data/reviews.csv' ? bytes : undefined,
    );
    expect(loaded.examples).toHaveLength(6);
    expect(loaded.examples[2]).toEqual({ text: 'Not bad, actually.', label: 'positive', line: 4 });
    const missing = await loadDataset(imported.spec, () => undefined).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DataImportError);
    expect((missing as Error).message).toMatch(/data\/reviews.csv is missing from the project file/);
  });

  it('reads a dataset referenced by path, and says clearly when the file has moved', async () => {
    const path = join(dir, 'pairs.tsv');
    copyFileSync(fixture('pairs.tsv'), path);
    const { spec } = await importDataset({ path }, { embed: false });
    expect((await loadDataset(spec, () => undefined)).examples.map((e) => e.target)).toEqual([
      '168',
      '2',
      '100',
    ]);
    rmSync(path);
    const e = (await loadDataset(spec, () => undefined).catch((x: unknown) => x)) as DataImportError;
    expect(e.code).toBe('moved');
    expect(e.message).toContain(`The dataset file ${path} is not there any more`);
    expect(e.message).toContain('import it again from its new place');
  });

  it('resolves relative paths from the project folder', async () => {
    copyFileSync(fixture('lines.txt'), join(dir, 'lines.txt'));
    const spec = DatasetSpecSchema.parse({
      task: 'language-model',
      source: { kind: 'file', path: 'lines.txt', format: 'lines' },
    });
    expect((await loadDataset(spec, () => undefined, { projectDir: dir })).examples).toHaveLength(3);
  });

  it('generates a generator dataset', async () => {
    const spec = DatasetSpecSchema.parse({
      task: 'seq2seq',
      source: { kind: 'generator', name: 'digit-addition', params: { count: 10 } },
    });
    expect((await loadDataset(spec, () => undefined)).examples).toHaveLength(10);
  });
});

describe('previewDataset and the training reader', () => {
  it('previews a saved dataset with its saved vocabulary', async () => {
    const imported = await importDataset({ path: fixture('quoted.csv') });
    const bytes = new Uint8Array(readFileSync(fixture('quoted.csv')));
    const p = await previewDataset(imported.spec, () => bytes);
    expect(p.spec.vocabulary).toEqual(imported.spec.vocabulary);
    expect(p.stats.examples).toBe(4);
    expect(p.preview.map((r) => r.line)).toEqual([2, 3, 5, 6]);
  });

  it('builds a document language model as contiguous windows, and batches it', async () => {
    const { spec } = await importDataset(
      { path: fixture('corpus.txt') },
      { maxLength: 10, split: { validation: 0.2, test: 0 } },
    );
    const text = readFileSync(fixture('corpus.txt'), 'utf8');
    const built = buildDataset(spec, [{ text }]);
    expect(built.train.length + built.validation.length).toBe(Math.ceil((text.length - 1) / 10));
    const first = built.train[0]!;
    expect([...first.steps!.slice(0, 9)]).toEqual([...first.tokens!.slice(1, 10)]); // next-token targets
    const batches = makeBatches(built.train, {
      task: 'language-model',
      batchSize: 4,
      bucketing: { enabled: true, pool: 2 },
    });
    expect(paddingReport(batches).real).toBe(built.train.reduce((a, e) => a + e.length, 0));
  });
});

describe('importIntoProject', () => {
  it(
    'writes the bytes into the zip and the spec into the document, ' + 'dropping the replaced entry',
    async () => {
      const entries = new Map<string, Uint8Array>([['data/old.csv', new Uint8Array([1])]]);
      let doc = {
        task: 'classification',
        graph: { nodes: [], edges: [] },
        dataset: DatasetSpecSchema.parse({
          task: 'classification',
          source: { kind: 'embedded', entry: 'data/old.csv', format: 'csv' },
        }),
      } as unknown as ProjectDoc;
      const store = {
        doc: () => doc,
        update: (_id: string, raw: unknown) => void (doc = raw as ProjectDoc),
        writeEntries: (_id: string, e: Record<string, Uint8Array | null>) => {
          for (const [k, v] of Object.entries(e)) {
            if (v) entries.set(k, v);
            else entries.delete(k);
          }
        },
      };
      const r = await importIntoProject(store, 'p1', { path: fixture('pairs.tsv') }, { task: 'seq2seq' });
      expect(r.entry).toBe('data/pairs.tsv');
      expect([...entries.keys()]).toEqual(['data/pairs.tsv']);
      expect(doc.dataset?.source).toMatchObject({ kind: 'embedded', entry: 'data/pairs.tsv', format: 'tsv' });
      expect(doc.task).toBe('seq2seq');
      expect(doc.dataset?.vocabulary?.length).toBeGreaterThan(4);
    },
  );

  it('sizes the embedding and the head to the imported data, and says what it changed', async () => {
    const node = (id: string, kind: string, params: Record<string, unknown>) => ({ id, kind, params });
    let doc = {
      task: 'classification',
      graph: {
        nodes: [
          node('tokens', 'input', { role: 'tokens' }),
          node('embed', 'embedding', { vocabularySize: 5, dimension: 8 }),
          node('gru', 'gru', { units: 4, returnSequences: false }),
          node('label', 'head', { units: 7 }),
        ],
        edges: [],
      },
    } as unknown as ProjectDoc;
    const store = {
      doc: () => doc,
      update: (_id: string, raw: unknown) => void (doc = raw as ProjectDoc),
      writeEntries: () => {},
    };
    const r = await importIntoProject(
      store,
      'p1',
      { path: fixture('reviews.csv') },
      { task: 'classification' },
    );
    const vocabulary = doc.dataset!.vocabulary!.length;
    expect(vocabulary).toBeGreaterThan(5);
    expect(r.fitted).toEqual([
      { node: 'embed', field: 'vocabularySize', from: 5, to: vocabulary },
      { node: 'label', field: 'units', from: 7, to: 2 }, // positive, negative
    ]);
    expect(doc.graph.nodes.find((n) => n.id === 'embed')!.params.vocabularySize).toBe(vocabulary);
    expect(doc.graph.nodes.find((n) => n.id === 'gru')!.params).toEqual({ units: 4, returnSequences: false });
  });
});
