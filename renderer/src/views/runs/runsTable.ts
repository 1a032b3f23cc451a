// Runs as the Runs tab lists them: a summary per run (from `runs.list`, read defensively), the settings
// that differ between runs, and the best value of each metric.
import { isRecord, num, numberRecord, pickRecord, str, type Json } from '../training/telemetryRead.js';
import type { RunRecorder } from '../training/runRecorder.js';

export interface RunSummary {
  runId: string;
  name: string;
  /** ms since 1970, when known. */
  startedAt: number | undefined;
  status: string;
  /** Training settings, flattened to dotted keys ("optimizer.learningRate"). */
  settings: Record<string, string>;
  /** "validation loss" -> best value (lowest for losses, highest for the rest). */
  best: Record<string, number>;
}

/** Flatten nested settings to dotted keys with printable values. */
export function flattenSettings(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
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

function time(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

export function readRunSummary(raw: unknown): RunSummary | null {
  if (!isRecord(raw)) return null;
  const runId = str(raw.runId) ?? str(raw.id);
  if (!runId) return null;
  const config = pickRecord(raw, 'config', 'settings', 'training') ?? {};
  const best: Record<string, number> = {};
  // The project's run summary (core/project RunSummarySchema) keeps flat records: `final` (last epoch) and
  // `best` (the best epoch), keyed "validation.loss"; older or other writers may nest split summaries.
  for (const source of [raw.final, raw.finalMetrics, raw.metrics, raw.best]) {
    if (!isRecord(source)) continue;
    for (const [key, value] of Object.entries(source)) {
      if (typeof value === 'number') best[key.replace('.', ' ')] = value;
      else if (isRecord(value)) {
        const loss = num(value.loss);
        if (loss !== undefined) best[`${key} loss`] = loss;
        for (const [k, v] of Object.entries(numberRecord(value.metrics))) best[`${key} ${k}`] = v;
      }
    }
  }
  return {
    runId,
    name: str(raw.name) ?? str(raw.runName) ?? runId,
    startedAt: time(raw.startedAt ?? raw.started ?? raw.createdAt ?? raw.date ?? raw.time),
    status: str(raw.status) ?? '',
    settings: flattenSettings(config),
    best,
  };
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
export function differingSettings(runs: readonly Pick<RunSummary, 'settings'>[]): string[] {
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
  return keys.filter((k) => a[k] !== b[k]).map((key) => ({ key, before: a[key] ?? '—', after: b[key] ?? '—' }));
}

export type { Json };
