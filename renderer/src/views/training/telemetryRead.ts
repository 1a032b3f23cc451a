// Read telemetry events (core/telemetry) defensively. Events arrive over the host API as plain objects;
// a run written by an older or newer studio may lack a field or carry extra ones, and the dashboard must
// show what it can rather than throw. These helpers pick numbers, records and matrices out of `unknown`.
export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The first field of `event` (among `names`) holding a number. */
export function pickNum(event: Json, ...names: string[]): number | undefined {
  for (const name of names) {
    const v = num(event[name]);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function pickRecord(event: Json, ...names: string[]): Json | undefined {
  for (const name of names) {
    const v = event[name];
    if (isRecord(v)) return v;
  }
  return undefined;
}

/** A flat `{ name: number }` record (metrics, per-layer norms); non-numbers dropped. */
export function numberRecord(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'number') out[k] = v;
  return out;
}

/** `{ layer: { gate: number } }`. */
export function nestedNumberRecord(value: unknown): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const inner = numberRecord(v);
    if (Object.keys(inner).length > 0) out[k] = inner;
  }
  return out;
}

export function numberArray(value: unknown): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((v) => (typeof v === 'number' ? v : NaN));
}

/** Rows of numbers (a matrix as nested arrays). */
export function numberRows(value: unknown): number[][] | undefined {
  if (!Array.isArray(value) || !value.every(Array.isArray)) return undefined;
  return value.map((row) => numberArray(row) ?? []);
}

export function stringArray(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((v) => (typeof v === 'string' ? v : String(v)));
}
