// A run's config overrides come from the caller (the UI, the CLI): a `__proto__` or `constructor` key is
// merged as a key of its own, so the config schema can refuse it, and never becomes a prototype whose
// fields the schema would then read as if they had been set.
import { describe, expect, it } from 'vitest';
import { mergeConfig } from '../../../../main/training/configOverrides.js';

describe('mergeConfig with prototype-member keys', () => {
  it('keeps __proto__ and constructor as own keys and merges the rest', () => {
    const overrides = JSON.parse(
      '{"__proto__": {"epochs": 999}, "optimizer": {"learningRate": 0.5}, "constructor": 1}',
    ) as unknown;
    const merged = mergeConfig(
      { epochs: 3, optimizer: { kind: 'adam', learningRate: 0.01 } },
      overrides,
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(merged.epochs).toBe(3);
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    expect(Object.hasOwn(merged, 'constructor')).toBe(true);
    expect(merged.optimizer).toEqual({ kind: 'adam', learningRate: 0.5 });
  });
});
