import { describe, expect, it } from 'vitest';
import type { ProjectStore } from '../../../../main/project/index.js';
import {
  HistoryBytes,
  historyEntry,
  readHistory,
  readHistoryPage,
} from '../../../../main/training/runRecord.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('run history bytes', () => {
  it('holds every line, newline-terminated, as the NDJSON the project stores', () => {
    const history = new HistoryBytes();
    expect(decode(history.bytes())).toBe('');
    history.append('{"type":"run-start"}');
    history.append('{"type":"batch","note":"é ✓ 𝄞"}'); // 2-, 3- and 4-byte UTF-8
    expect(decode(history.bytes())).toBe('{"type":"run-start"}\n{"type":"batch","note":"é ✓ 𝄞"}\n');
  });

  it('a view handed out before more lines (and buffer growth) still reads what it read then', () => {
    const history = new HistoryBytes();
    history.append('first');
    const early = history.bytes();
    const big = 'x'.repeat(200_000); // forces the 64 KiB buffer to grow
    for (let i = 0; i < 5; i++) history.append(big);
    expect(decode(early)).toBe('first\n');
    const all = decode(history.bytes()).split('\n');
    expect(all).toHaveLength(7);
    expect(all[0]).toBe('first');
    expect(all[5]).toBe(big);
    expect(all[6]).toBe('');
  });

  it('appending costs the new line only: bytes() is a view, and the buffer grows by doubling', () => {
    // Structural, not timed: re-encoding the history on every append or copying it on every read would
    // show up here as a new buffer each call.
    const history = new HistoryBytes();
    const line = JSON.stringify({ type: 'probe', values: Array.from({ length: 200 }, (_, i) => i / 7) });
    const buffers = new Set<ArrayBufferLike>();
    for (let i = 0; i < 1500; i++) {
      history.append(line);
      const view = history.bytes();
      buffers.add(view.buffer);
      expect(view.byteOffset).toBe(0);
      expect(view.length).toBe((line.length + 1) * (i + 1));
    }
    // ~5.7 MB of history from a 64 KiB start: about log2(5.7 MB *
    // 3 / 64 KiB) ≈ 8 doublings, not 1500 copies.
    expect(buffers.size).toBeLessThanOrEqual(10);
  });
});

/** The one store call history reading makes; a real store returns the same bytes object until rewritten. */
function storeWith(lines: string[]): ProjectStore {
  const history = new HistoryBytes();
  lines.forEach((l) => history.append(l));
  const bytes = history.bytes();
  return {
    readEntry: (_id: string, name: string) => (name === historyEntry('r') ? bytes : undefined),
  } as unknown as ProjectStore;
}

describe('run history pages', () => {
  const run = [...syntheticRun({ epochs: 1, batchesPerEpoch: 24, steps: 30, units: 8 })];
  const [runStart, ...rest] = run;
  const batches = rest.filter((e) => e.type === 'batch');
  const probe = rest.find((e) => e.type === 'probe')!;
  const epoch = rest.find((e) => e.type === 'epoch')!;
  const events = [runStart!, ...batches].map((e) => JSON.stringify(e));

  it('pages through every event once, in order, each page starting where the last ended', () => {
    const store = storeWith(events);
    const seen: unknown[] = [];
    for (let from = 0; ;) {
      const page = readHistoryPage(store, 'p', 'r', from, 10);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(10);
      seen.push(...page);
      from += page.length;
    }
    expect(seen).toEqual(readHistory(store, 'p', 'r'));
    expect(seen).toEqual([runStart, ...batches]);
  });

  it('caps a page at about maxChars of JSON, but always returns at least one event', () => {
    const store = storeWith([JSON.stringify(probe), ...events.slice(1)]);
    const maxChars = 3 * events[1]!.length;
    expect(JSON.stringify(probe).length).toBeGreaterThan(maxChars);
    expect(readHistoryPage(store, 'p', 'r', 0, 100, maxChars)).toEqual([probe]); // the big one alone
    const page = readHistoryPage(store, 'p', 'r', 1, 100, maxChars);
    expect(page.length).toBeGreaterThan(1);
    expect(page.map((e) => JSON.stringify(e)).join('').length).toBeLessThanOrEqual(maxChars);
  });

  it('an unreadable line keeps its place (offsets stay exact) and reads as { type: "unreadable" }', () => {
    const store = storeWith([JSON.stringify(runStart), '{"type":"batch","st', JSON.stringify(epoch)]);
    const unreadable = { type: 'unreadable', line: 1, message: expect.stringMatching(/not JSON/) };
    expect(readHistoryPage(store, 'p', 'r', 0, 10)).toEqual([runStart, unreadable, epoch]);
    expect(readHistoryPage(store, 'p', 'r', 2, 10)).toEqual([epoch]);
    expect(readHistoryPage(store, 'p', 'r', 3, 10)).toEqual([]);
    expect(readHistory(store, 'p', 'r')).toEqual([runStart, epoch]); // the whole list skips it
  });

  it('an event that no longer matches its schema is unreadable in its place, with the field named', () => {
    const store = storeWith([JSON.stringify(runStart), JSON.stringify({ ...batches[0], loss: 'low' })]);
    expect(readHistoryPage(store, 'p', 'r', 0, 10)).toEqual([
      runStart,
      { type: 'unreadable', line: 1, message: expect.stringMatching(/^batch loss:/) },
    ]);
  });

  it('a run without history has no pages', () => {
    expect(readHistoryPage(storeWith([]), 'p', 'other', 0, 10)).toEqual([]);
  });
});
