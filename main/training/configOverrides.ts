// A run's training settings: the project's (or workload's) own, with the run's overrides on top (CLI
// --epochs, the UI's learning rate). Nested objects merge key by key, so `{ optimizer: { learningRate } }`
// keeps the optimizer kind. Used by the engine process to train and by the studio to check before starting.
import { own, setOwn } from '../../core/records/own.js';

export function mergeConfig(base: unknown, overrides: unknown): unknown {
  if (!overrides || typeof overrides !== 'object') return base;
  const out: Record<string, unknown> = { ...((base as Record<string, unknown>) ?? {}) };
  for (const [k, v] of Object.entries(overrides)) {
    // Keys are the caller's text: `__proto__` stays an own key (refused
    // by the config schema), never a prototype.
    const prev = own(out, k);
    setOwn(
      out,
      k,
      v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object'
        ? mergeConfig(prev, v)
        : v,
    );
  }
  return out;
}
