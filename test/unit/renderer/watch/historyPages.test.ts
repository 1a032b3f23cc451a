import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../../core/telemetry/history.js';
import { ingestHistory } from '../../../../renderer/src/watch/historyPages.js';
import { RunRecorder } from '../../../../renderer/src/watch/runRecorder.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';

function history(): HistoryEntry[] {
  return [...syntheticRun({ epochs: 3, batchesPerEpoch: 50, runId: 'r', steps: 8, units: 4 })];
}

describe('history loaded page by page', () => {
  it(
    'draws the same run as the whole history folded at once, ' + 'asking page after page until an empty one',
    async () => {
      const events = history();
      const whole = new RunRecorder();
      events.forEach((e) => whole.ingest(e));
      const asked: [number, number][] = [];
      const paged = new RunRecorder();
      // A host that returns shorter pages than asked (its size cap) must still be read to the end.
      const read = await ingestHistory(
        paged,
        async (from, limit) => (asked.push([from, limit]), events.slice(from, from + Math.min(limit, 7))),
        20,
      );
      expect(read).toBe(events.length);
      expect(asked[0]).toEqual([0, 20]);
      expect(asked[1]).toEqual([7, 20]);
      expect(asked.at(-1)).toEqual([events.length, 20]);
      expect(paged.loss.length).toBe(whole.loss.length);
      expect([...paged.loss.y.subarray(0, paged.loss.length)]).toEqual([
        ...whole.loss.y.subarray(0, whole.loss.length),
      ]);
      expect(paged.probes.length).toBe(whole.probes.length);
      expect(paged.status).toBe(whole.status);
      expect(paged.step).toBe(whole.step);
    },
  );

  it('an unreadable line in the history is skipped, not drawn', async () => {
    const recorder = new RunRecorder();
    const [runStart, batch] = history();
    const pages: HistoryEntry[][] = [
      [runStart!, { type: 'unreadable', line: 1, message: 'not JSON' }, batch!],
      [],
    ];
    await ingestHistory(recorder, async () => pages.shift()!);
    expect(recorder.loss.length).toBe(1);
    expect(recorder.notices).toEqual([]);
  });
});
