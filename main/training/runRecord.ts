// A run as the project remembers it: its summary in project.json (`runs`), its telemetry in
// history/<run>.ndjson and its checkpoints in checkpoints/<run>/{latest,best}.ckpt, all inside the
// .rnnproj. Written into the open project (ProjectStore) at every checkpoint and at the end, and saved
// to disk atomically when the project has a path, so a crash loses at most the epoch in progress.
import type { RunSummary } from '../../core/project/index.js';
import { statusOfEnd } from '../../core/project/runStatus.js';
import type { SplitSummary, TelemetryEvent } from '../../core/telemetry/events.js';
import { readHistoryLine, type HistoryEntry } from '../../core/telemetry/history.js';
import type { ProjectStore } from '../project/index.js';

export const checkpointEntry = (runId: string, which: 'latest' | 'best') =>
  `checkpoints/${runId}/${which}.ckpt`;
export const historyEntry = (runId: string) => `history/${runId}.ndjson`;

/** A run summary's metric record: `train.loss`, `validation.accuracy`, … */
function flatten(summaries: { train?: SplitSummary; validation?: SplitSummary }): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [split, s] of Object.entries(summaries)) {
    if (!s || typeof s !== 'object') continue;
    if (s.loss !== null) out[`${split}.loss`] = s.loss;
    if (s.perplexity !== undefined && s.perplexity !== null) out[`${split}.perplexity`] = s.perplexity;
    for (const [k, v] of Object.entries(s.metrics)) if (v !== null) out[`${split}.${k}`] = v;
  }
  return out;
}

/**
 * The run's NDJSON history as bytes, encoded once per event. A checkpoint every epoch puts the history so
 * far into the project; re-joining and re-encoding every line each time made a long run quadratic (a fast
 * run with big probe events spent most of its host time there). Bytes below `length` never change once
 * written, so a view handed out earlier stays valid while the buffer grows (growth copies to a new buffer).
 */
export class HistoryBytes {
  private buffer = new Uint8Array(64 * 1024);
  private length = 0;
  private readonly encoder = new TextEncoder();

  append(line: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit, plus the newline.
    const need = this.length + line.length * 3 + 1;
    if (need > this.buffer.length) {
      const grown = new Uint8Array(Math.max(need, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.length += this.encoder.encodeInto(line, this.buffer.subarray(this.length)).written;
    this.buffer[this.length++] = 0x0a;
  }

  /** Every line so far, newline-terminated (a view, not a copy). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

export class RunRecord {
  private readonly history = new HistoryBytes();
  private summary: RunSummary;
  /** The run's summary before this attempt (a resume), kept if the attempt never starts training. */
  private readonly before: RunSummary | undefined;
  private started = false;

  constructor(
    private readonly store: ProjectStore,
    private readonly projectId: string,
    readonly runId: string,
    name: string,
    /** Events of the run this one resumes, so its history reads as one run. */
    previousHistory: string[] = [],
  ) {
    for (const line of previousHistory) this.history.append(line);
    const existing = store.doc(projectId).runs.find((r) => r.id === runId);
    this.before = existing;
    // The pid lets a later open tell this run, cut off by a kill, from
    // one still training (interruptedRuns.ts).
    this.summary = existing
      ? { ...existing, status: 'running', pid: process.pid }
      : {
          id: runId,
          name,
          startedAt: new Date().toISOString(),
          status: 'running',
          pid: process.pid,
          epochs: 0,
          steps: 0,
          best: {},
          final: {},
          history: historyEntry(runId),
          note: '',
          tags: [],
        };
  }

  /** Every event goes to the history; some also update the summary. */
  onEvent(event: TelemetryEvent): void {
    this.history.append(JSON.stringify(event));
    if (event.type === 'run-start') {
      this.started = true;
      this.summary = { ...this.summary, backend: event.backend, training: event.config };
      this.writeSummary();
    } else if (event.type === 'batch') {
      this.summary.steps = event.step;
    } else if (event.type === 'epoch') {
      const summaries = { train: event.train, ...(event.validation ? { validation: event.validation } : {}) };
      this.summary = { ...this.summary, epochs: event.epoch, steps: event.step, final: flatten(summaries) };
      if (event.best) this.summary.best = flatten(summaries);
    } else if (event.type === 'run-end') {
      const status = statusOfEnd(event.status);
      const endedAt = new Date().toISOString();
      const { pid: _pid, ...rest } = this.summary;
      const final = flatten(event.final);
      this.summary = { ...rest, status, epochs: event.epochs, steps: event.steps, endedAt, final };
      // Written now, not when the engine process exits: the UI lists runs as soon as it sees run-end.
      this.writeSummary();
    }
  }

  /** Put a checkpoint and the history so far into the project and save it. */
  async onCheckpoint(reason: 'epoch' | 'stop' | 'best', bytes: Uint8Array): Promise<string> {
    const entry = checkpointEntry(this.runId, reason === 'best' ? 'best' : 'latest');
    if (reason !== 'best') this.summary.checkpoint = entry;
    this.store.writeEntries(this.projectId, {
      [entry]: bytes,
      [historyEntry(this.runId)]: this.historyBytes(),
    });
    this.writeSummary();
    await this.persist();
    return entry;
  }

  /** At the end (any status, crash included): final summary and full history, saved. */
  async finish(): Promise<void> {
    // Still running at the end: the engine crashed, or refused the run before training (it then ends
    // cleanly, without a run-end). Either way the run failed; a resume that never started keeps the
    // summary the run had before it.
    if (this.summary.status === 'running') {
      const { pid: _pid, ...rest } = this.summary;
      this.summary =
        !this.started && this.before
          ? this.before
          : { ...rest, status: 'failed', endedAt: new Date().toISOString() };
    }
    this.store.writeEntries(this.projectId, { [historyEntry(this.runId)]: this.historyBytes() });
    this.writeSummary();
    await this.persist();
  }

  private historyBytes(): Uint8Array {
    return this.history.bytes();
  }

  private writeSummary(): void {
    const doc = this.store.doc(this.projectId);
    // The note and tags are the user's (runs.annotate), written while this run trains: keep the latest.
    const recorded = doc.runs.find((r) => r.id === this.runId);
    if (recorded) this.summary = { ...this.summary, note: recorded.note, tags: recorded.tags };
    const runs = doc.runs.filter((r) => r.id !== this.runId);
    this.store.update(this.projectId, { ...doc, runs: [...runs, this.summary] });
  }

  private async persist(): Promise<void> {
    if (this.store.get(this.projectId).path) await this.store.save(this.projectId);
  }
}

/**
 * Lines of each stored history, split once per version of its bytes: a UI paging through a 100,000-event
 * history asks for it 50 times, and re-decoding tens of megabytes for each page would be quadratic. The
 * store replaces an entry's bytes when it changes, so the bytes object is the version.
 */
const splitLines = new WeakMap<Uint8Array, string[]>();

function historyLines(bytes: Uint8Array): string[] {
  let lines = splitLines.get(bytes);
  if (!lines) {
    lines = new TextDecoder().decode(bytes).split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    splitLines.set(bytes, lines);
  }
  return lines;
}

/** The history of a run, upgraded line by line (lines that cannot be read are skipped, not fatal). */
export function readHistory(store: ProjectStore, projectId: string, runId: string): TelemetryEvent[] {
  const bytes = store.readEntry(projectId, historyEntry(runId));
  if (!bytes) return [];
  const out: TelemetryEvent[] = [];
  historyLines(bytes).forEach((text, i) => {
    const entry = readHistoryLine(text, i);
    if (entry && entry.type !== 'unreadable') out.push(entry);
  });
  return out;
}

/** About 1 MB of JSON: a page the UI parses in a few milliseconds (a probe event alone is ~40 KB). */
export const HISTORY_PAGE_CHARS = 1_000_000;

/**
 * One page of a run's history: events from line `from` on, at most `limit` of them and, past the first,
 * at most `maxChars` of JSON. One element per line, so the next page starts at `from + page.length`: each
 * event upgraded to the current telemetry version, a line that cannot be read an `unreadable` entry
 * (which views skip). Empty = the end.
 */
export function readHistoryPage(
  store: ProjectStore,
  projectId: string,
  runId: string,
  from: number,
  limit: number,
  maxChars = HISTORY_PAGE_CHARS,
): HistoryEntry[] {
  const bytes = store.readEntry(projectId, historyEntry(runId));
  if (!bytes) return [];
  const lines = historyLines(bytes);
  const out: HistoryEntry[] = [];
  let chars = 0;
  for (let i = from; i < lines.length && out.length < limit; i++) {
    const line = lines[i]!;
    if (out.length > 0 && chars + line.length > maxChars) break;
    chars += line.length;
    out.push(readHistoryLine(line, i) ?? { type: 'unreadable', line: i, message: 'blank line' });
  }
  return out;
}
