// Long work can be cancelled: an import stopped through `progress.cancel` ends with a clear message and
// leaves the project's dataset as it was.
import { describe, expect, it } from 'vitest';
import type { ProjectDoc } from '../../../../core/project/index.js';
import { dataHandlers } from '../../../../main/data/index.js';
import { EventHub } from '../../../../main/host/eventHub.js';

describe('cancelling an import', () => {
  it('stops at the next chunk and keeps the previous dataset', async () => {
    const entries = new Map<string, Uint8Array>();
    const before = { task: 'classification', dataset: { kept: true } } as unknown as ProjectDoc;
    let doc = before;
    const store = {
      doc: () => doc,
      update: (_id: string, raw: unknown) => void (doc = raw as ProjectDoc),
      writeEntries: (_id: string, e: Record<string, Uint8Array | null>) => {
        for (const [k, v] of Object.entries(e)) if (v) entries.set(k, v);
      },
      readEntry: (_id: string, name: string) => entries.get(name),
    };
    const events = new EventHub();
    const handlers = dataHandlers({ store, events });
    // ~6 MB of rows: enough chunks that progress is reported before the end.
    const rows = Array.from(
      { length: 120_000 },
      (_, i) => `"review number ${i}, quite long text here",${i % 2 ? 'pos' : 'neg'}`,
    );
    const dataBase64 = Buffer.from(`text,label\n${rows.join('\n')}\n`).toString('base64');
    let cancelled: Promise<{ cancelled: boolean }> | undefined;
    events.subscribe((name, payload) => {
      const { id, fraction } = payload as { id: string; fraction: number };
      if (name === 'progress' && fraction > 0 && fraction < 1 && !cancelled)
        cancelled = handlers['progress.cancel']({ id });
    });
    const outcome = await handlers['data.import']({
      projectId: 'p',
      source: { fileName: 'big.csv', dataBase64 },
      options: { task: 'classification' },
    }).catch((e: unknown) => e);
    expect(await cancelled).toEqual({ cancelled: true });
    expect(outcome).toMatchObject({ code: 'invalid-input', message: expect.stringContaining('cancelled') });
    expect(doc).toBe(before);
    expect(entries.size).toBe(0);
    expect(await handlers['progress.cancel']({ id: 'import-p' })).toEqual({ cancelled: false });
  });
});
