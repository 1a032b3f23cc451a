// The few web-platform globals that Node and every browser share, typed for core/, which compiles
// without DOM or Node types (so nothing in core can reach for `document` or `fs` by accident).
interface SharedGlobals {
  structuredClone<T>(value: T): T;
  performance: { now(): number };
}

const shared = globalThis as unknown as SharedGlobals;

/** A deep copy of plain data (structuredClone: Maps, typed arrays and cycles survive). */
export function deepCopy<T>(value: T): T {
  return shared.structuredClone(value);
}

/** Milliseconds from a monotonic clock, for durations (never for dates). */
export function monotonicMs(): number {
  return shared.performance.now();
}
