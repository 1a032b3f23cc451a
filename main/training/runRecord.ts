// A run as the project remembers it: its summary in project.json (`runs`), its telemetry in
// history/<run>.ndjson and its checkpoints in checkpoints/<run>/{latest,best}.ckpt, all inside the
// .rnnproj. Written into the open project (ProjectStore) at every checkpoint and at the end, and saved
// to disk atomically when the project has a path, so a crash loses at most the epoch in progress.
import type { RunSummary } from '../../core/project/index.js';
import type { SplitSummary, TelemetryEvent } from '../../core/telemetry/events.js';
import type { ProjectStore } from '../project/index.js';

export const checkpointEntry = (runId: string, which: 'latest' | 'best') => `checkpoints/${runId}/${which}.ckpt`;
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

export class RunRecord {
  private readonly lines: string[] = [];
  private summary: RunSummary;

  constructor(
    private readonly store: ProjectStore,
    private readonly projectId: string,
    readonly runId: string,
    name: string,
    /** Events of the run this one resumes, so its history reads as one run. */
    previousHistory: string[] = [],
  ) {
    this.lines.push(...previousHistory);
    const existing = store.doc(projectId).runs.find((r) => r.id === runId);
    this.summary = existing
      ? { ...existing, status: 'running' }
      : { id: runId, name, startedAt: new Date().toISOString(), status: 'running', epochs: 0, best: {}, final: {}, history: historyEntry(runId) };
  }

  /** Every event goes to the history; some also update the summary. */
  onEvent(event: TelemetryEvent): void {
    this.lines.push(JSON.stringify(event));
    if (event.type === 'run-start') {
      this.summary = { ...this.summary, backend: event.backend, training: event.config as unknown as Record<string, unknown> };
      this.writeSummary();
    } else if (event.type === 'epoch') {
      const summaries = { train: event.train, ...(event.validation ? { validation: event.validation } : {}) };
      this.summary = { ...this.summary, epochs: event.epoch, final: flatten(summaries) };
      if (event.best) this.summary.best = flatten(summaries);
    } else if (event.type === 'run-end') {
      const status = event.status === 'early-stopped' ? 'completed' : event.status;
      this.summary = { ...this.summary, status, epochs: event.epochs, endedAt: new Date().toISOString(), final: flatten(event.final) };
    }
  }

  /** Put a checkpoint and the history so far into the project and save it. */
  async onCheckpoint(reason: 'epoch' | 'stop' | 'best', bytes: Uint8Array): Promise<string> {
    const entry = checkpointEntry(this.runId, reason === 'best' ? 'best' : 'latest');
    if (reason !== 'best') this.summary.checkpoint = entry;
    this.store.writeEntries(this.projectId, { [entry]: bytes, [historyEntry(this.runId)]: this.historyBytes() });
    this.writeSummary();
    await this.persist();
    return entry;
  }

  /** At the end (any status, crash included): final summary and full history, saved. */
  async finish(crashed?: string): Promise<void> {
    if (crashed && this.summary.status === 'running') this.summary = { ...this.summary, status: 'failed', endedAt: new Date().toISOString() };
    this.store.writeEntries(this.projectId, { [historyEntry(this.runId)]: this.historyBytes() });
    this.writeSummary();
    await this.persist();
  }

  private historyBytes(): Uint8Array {
    return new TextEncoder().encode(this.lines.length > 0 ? this.lines.join('\n') + '\n' : '');
  }

  private writeSummary(): void {
    const doc = this.store.doc(this.projectId);
    const runs = doc.runs.filter((r) => r.id !== this.runId);
    this.store.update(this.projectId, { ...doc, runs: [...runs, this.summary] });
  }

  private async persist(): Promise<void> {
    if (this.store.get(this.projectId).path) await this.store.save(this.projectId);
  }
}

/** The history of a run, parsed line by line (lines that do not parse are skipped, not fatal). */
export function readHistory(store: ProjectStore, projectId: string, runId: string): TelemetryEvent[] {
  const bytes = store.readEntry(projectId, historyEntry(runId));
  if (!bytes) return [];
  const out: TelemetryEvent[] = [];
  for (const line of new TextDecoder().decode(bytes).split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as TelemetryEvent);
    } catch {
      // A line cut by a crash: the rest of the history is still worth showing.
    }
  }
  return out;
}
