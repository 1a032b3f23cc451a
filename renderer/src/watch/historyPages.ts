// Load a run's history into a RunRecorder page by page. A 100,000-batch history fetched whole is one
// ~50 MB JSON text: parsing and checking it took ~400-750 ms on the window's thread (long tasks measured
// by the dashboard performance test). Pages of at most 2,000 events (and ~1 MB, capped by the host) each
// parse in a few milliseconds, and every page is folded in its own task. (No host import here: the stores
// pass the call, which keeps this testable outside a page.)
import type { HistoryEntry } from '../../../core/telemetry/history.js';
import type { RunRecorder } from './runRecorder.js';

export const HISTORY_PAGE = 2000;

/** Events [from, from + limit) of the run, or fewer; empty = the end. */
export type FetchPage = (from: number, limit: number) => Promise<readonly HistoryEntry[]>;

/** Fold every page into `recorder`; returns how many events were read. */
export async function ingestHistory(
  recorder: RunRecorder,
  fetchPage: FetchPage,
  page = HISTORY_PAGE,
): Promise<number> {
  let from = 0;
  for (;;) {
    const events = await fetchPage(from, page);
    if (events.length === 0) return from;
    for (const event of events) recorder.ingest(event);
    // One element per stored event (unreadable lines included), so this is where the next page starts.
    from += events.length;
  }
}
