// The string table's placeholders: values filled in, and `{count|one|many}` choosing the right word.
import { describe, expect, it } from 'vitest';
import { t } from '../../../../renderer/src/i18n/index.js';

describe('t', () => {
  it('says "1 block" and "2 blocks"', () => {
    expect(t('canvas.deleted', { count: 1 })).toBe('Deleted 1 block.');
    expect(t('canvas.deleted', { count: 2 })).toBe('Deleted 2 blocks.');
    expect(t('canvas.pasted', { count: 0 })).toBe('Pasted 0 blocks.');
  });

  it('leaves a placeholder with no value visible, and a missing key as itself', () => {
    expect(t('canvas.deleted')).toBe('Deleted {count} {count|block|blocks}.');
    expect(t('no.such.key')).toBe('no.such.key');
  });
});
