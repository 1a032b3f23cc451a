// A run's history as the host hands it out: one entry per stored line, each a telemetry event upgraded to
// the current version and checked against its schema, or an `unreadable` marker saying which line and why
// (a line cut by a crash, an event from a newer studio). Histories are upgraded on read, on the main side,
// so the UI only ever sees current events; `upgrades` is the one list of steps, as for project files.
import { z } from 'zod';
import { TELEMETRY_VERSION, TelemetryEventSchema, type TelemetryEvent } from './events.js';

export const UnreadableLineSchema = z.object({
  type: z.literal('unreadable'),
  /** 0-based line of the history file. */
  line: z.number().int().nonnegative(),
  message: z.string(),
});

export const HistoryEntrySchema = z.discriminatedUnion('type', [
  ...TelemetryEventSchema.options,
  UnreadableLineSchema,
]);

export type UnreadableLine = z.infer<typeof UnreadableLineSchema>;
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** One step: an event of telemetry version `from` as one of version `from + 1`. */
export interface TelemetryUpgrade {
  from: number;
  upgrade(event: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Every step from an older telemetry version, in order. Empty while version 1 is the only one; events of
 * version 1 written before a field gained a default (e.g. a training setting added later) are completed
 * by the schema's defaults.
 */
export const upgrades: readonly TelemetryUpgrade[] = [];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stored event (any version this build knows) as a current one, or why it cannot be read. */
export function upgradeTelemetryEvent(
  raw: unknown,
  line: number,
  steps: readonly TelemetryUpgrade[] = upgrades,
): TelemetryEvent | UnreadableLine {
  const unreadable = (message: string): UnreadableLine => ({ type: 'unreadable', line, message });
  if (!isObject(raw)) return unreadable('not a JSON object');
  let event = raw;
  let version = typeof event.v === 'number' ? event.v : NaN;
  if (version > TELEMETRY_VERSION) {
    return unreadable(
      `written by a newer studio (telemetry version ${version}; this one reads up to ${TELEMETRY_VERSION})`,
    );
  }
  for (const step of steps) {
    if (step.from !== version) continue;
    event = { ...step.upgrade(event), v: step.from + 1 };
    version = step.from + 1;
  }
  const parsed = TelemetryEventSchema.safeParse(event);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || 'event';
  return unreadable(`${String(event.type ?? 'event')} ${where}: ${issue?.message ?? 'invalid'}`);
}

/** One line of a history file: undefined for a blank line, else an upgraded event or an unreadable marker. */
export function readHistoryLine(text: string, line: number): HistoryEntry | undefined {
  if (!text.trim()) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { type: 'unreadable', line, message: 'not JSON (a line cut short, e.g. by a crash)' };
  }
  return upgradeTelemetryEvent(raw, line);
}
