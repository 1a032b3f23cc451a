// The host calls data.import / data.preview through dataHandlers: an upload lands in the project, the
// preview reads it back, and a bad file becomes a HostFault naming the line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProjectDoc } from '../../../../core/project/index.js';
import { dataHandlers } from '../../../../main/data/index.js';
import { HostFault } from '../../../../main/host/dispatch.js';
import { EventHub } from '../../../../main/host/eventHub.js';

const fixture = (name: string) => new URL(`../../../fixtures/data/${name}`, import.meta.url).pathname;

function fakeStore() {
  const entries = new Map<string, Uint8Array>();
  let doc = { task: 'classification', graph: { nodes: [], edges: [] } } as unknown as ProjectDoc;
  return {
    entries,
    doc: () => doc,
    update: (_id: string, raw: unknown) => void (doc = raw as ProjectDoc),
    writeEntries: (_id: string, e: Record<string, Uint8Array | null>) => {
      for (const [k, v] of Object.entries(e)) if (v) entries.set(k, v);
    },
    readEntry: (_id: string, name: string) => entries.get(name),
  };
}

describe('dataHandlers', () => {
  it('imports an upload, reports progress, previews it back', async () => {
    const store = fakeStore();
    const events = new EventHub();
    const progress: number[] = [];
    events.subscribe(
      (name, payload) => name === 'progress' && progress.push((payload as { fraction: number }).fraction),
    );
    const h = dataHandlers({ store, events });
    const dataBase64 = readFileSync(fixture('reviews.csv')).toString('base64');
    const result = await h['data.import']({
      projectId: 'p',
      source: { fileName: 'reviews.csv', dataBase64 },
      options: { task: 'classification' },
    });
    expect(result.entry).toBe('data/reviews.csv');
    expect(store.entries.has('data/reviews.csv')).toBe(true);
    expect(progress.at(-1)).toBe(1);
    const preview = await h['data.preview']({ projectId: 'p' });
    expect((preview.stats as { examples: number }).examples).toBe(6);
    expect((preview.rows as unknown[]).length).toBe(6);
  });

  it('turns import errors into HostFaults with the line', async () => {
    const h = dataHandlers({ store: fakeStore() });
    const dataBase64 = readFileSync(fixture('binary.bin')).toString('base64');
    const e = await h['data.import']({
      projectId: 'p',
      source: { fileName: 'binary.bin', dataBase64 },
      options: {},
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HostFault);
    expect(e).toMatchObject({ code: 'invalid-input', where: 'line 3' });
    const none = await h['data.preview']({ projectId: 'p' });
    expect(none.message).toMatch(/No dataset yet/);
  });
});
