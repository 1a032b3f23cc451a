// Lookups keyed by user text (block ids, port names, column names, vocabulary entries): a plain object
// answers `constructor`, `toString` or `__proto__` from Object.prototype, so a port named so would find
// a function where a shape was expected. These helpers only ever see a record's own entries.

/** The value stored under `key` itself, never one inherited from Object.prototype. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** An empty record for user keys: no prototype, so `__proto__` is stored like any other key. */
export function userKeyed<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Stores `value` under `key` as an own property, even when the key is `__proto__`. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
