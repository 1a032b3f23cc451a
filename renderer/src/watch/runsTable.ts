// Runs as the Runs tab lists them: one row per run summary the project records (core/project
// RunSummarySchema, the same type main writes), the settings that differ between runs, and the best value
// of each metric.
import type { RunSummary } from '../../../core/project/schema.js';
import type { RunState } from '../../../core/project/runStatus.js';
import type { RunRecorder, RunStatus } from './runRecorder.js';

export interface RunRow {
  runId: string;
  name: string;
  /** ms since 1970 (the summary's ISO `startedAt`), undefined when it does not parse. */
  startedAt: number | undefined;
  status: RunState;
  /** Training settings, flattened to dotted keys ("optimizer.learningRate"). */
  settings: Record<string, string>;
  /** "validation loss" -> value: the best epoch's, else the last epoch's. */
  best: Record<string, number>;
  /** The user's note and tags on the run (stored in the project's run history). */
  note: string;
  tags: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Flatten nested settings to dotted keys with printable values. */
export function flattenSettings(
  value: unknown,
  prefix = '',
  out: Record<string, string> = {},
): Record<string, string> {
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) flattenSettings(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = Array.isArray(value) ? JSON.stringify(value) : String(value);
  }
  return out;
}

/** Lower is better for losses, perplexity and errors; higher for accuracy-like metrics. */
export function lowerIsBetter(metric: string): boolean {
  return /loss|perplexity|mse|mae|error/i.test(metric);
}

/** A recorded run as a row: flat metric keys ("validation.loss") read "validation loss". */
export function runRow(summary: RunSummary): RunRow {
  const best: Record<string, number> = {};
  for (const [key, value] of Object.entries({ ...summary.final, ...summary.best }))
    best[key.replace('.', ' ')] = value;
  const startedAt = Date.parse(summary.startedAt);
  return {
    runId: summary.id,
    name: summary.name || summary.id,
    startedAt: Number.isNaN(startedAt) ? undefined : startedAt,
    status: summary.status,
    settings: flattenSettings(summary.training ?? {}),
    best,
    note: summary.note,
    tags: summary.tags,
  };
}

/** The runs carrying every one of these tags (case does not matter); no tags = every run. */
export function runsWithTags<R extends Pick<RunRow, 'tags'>>(
  rows: readonly R[],
  tags: readonly string[],
): R[] {
  if (tags.length === 0) return [...rows];
  const wanted = tags.map((t) => t.toLowerCase());
  return rows.filter((r) => {
    const has = new Set(r.tags.map((t) => t.toLowerCase()));
    return wanted.every((t) => has.has(t));
  });
}

/**
 * The status to show for a row. The run this window is watching live is told by its own telemetry (the
 * training store's status), the moment it changes; every other run by what the project recorded.
 */
export function rowStatus(
  row: Pick<RunRow, 'runId' | 'status'>,
  liveRunId: string | null,
  live: RunStatus,
): RunStatus {
  return row.runId === liveRunId && live !== 'idle' ? live : row.status;
}

/** Best metrics from a run's full history (more exact than a summary written at the end). */
export function bestFromRecorder(r: RunRecorder): Record<string, number> {
  const out: Record<string, number> = {};
  const consider = (name: string, s: { min(): number | undefined; max(): number | undefined }) => {
    const v = lowerIsBetter(name) ? s.min() : s.max();
    if (v !== undefined) out[name] = v;
  };
  consider('train loss', r.epochLoss);
  consider('validation loss', r.validationLoss);
  for (const [name, s] of r.epochMetrics) consider(name, s);
  return out;
}

/** Setting keys whose values are not the same in every run (a key missing from a run counts as differing). */
export function differingSettings(runs: readonly Pick<RunRow, 'settings'>[]): string[] {
  if (runs.length < 2) return [];
  const keys = new Set(runs.flatMap((r) => Object.keys(r.settings)));
  return [...keys].filter((k) => new Set(runs.map((r) => r.settings[k] ?? '—')).size > 1).sort();
}

export interface SettingChange {
  key: string;
  before: string;
  after: string;
}

export function diffSettings(a: Record<string, string>, b: Record<string, string>): SettingChange[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys
    .filter((k) => a[k] !== b[k])
    .map((key) => ({ key, before: a[key] ?? '—', after: b[key] ?? '—' }));
}
