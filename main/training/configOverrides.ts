// A run's training settings: the project's (or workload's) own, with the run's overrides on top (CLI
// --epochs, the UI's learning rate). Nested objects merge key by key, so `{ optimizer: { learningRate } }`
// keeps the optimizer kind. Used by the engine process to train and by the studio to check before starting.
export function mergeConfig(base: unknown, overrides: unknown): unknown {
  if (!overrides || typeof overrides !== 'object') return base;
  const out: Record<string, unknown> = { ...((base as Record<string, unknown>) ?? {}) };
  for (const [k, v] of Object.entries(overrides)) {
    const prev = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object'
        ? mergeConfig(prev, v)
        : v;
  }
  return out;
}
