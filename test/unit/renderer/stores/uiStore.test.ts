// Notices stack without piling up: at most three, newest kept, a repeated message replaces its twin.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { MAX_NOTICES, useUiStore } from '../../../../renderer/src/stores/uiStore.js';

describe('ui notices', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
  });

  it('keeps the newest three and merges repeats', () => {
    const ui = useUiStore();
    for (let i = 1; i <= 5; i++) ui.notify(`failure ${i}`, 'error');
    expect(ui.notices.map((n) => n.text)).toEqual(['failure 3', 'failure 4', 'failure 5']);
    expect(MAX_NOTICES).toBe(3);
    ui.notify('failure 4', 'error');
    expect(ui.notices.map((n) => n.text)).toEqual(['failure 3', 'failure 5', 'failure 4']);
    vi.advanceTimersByTime(10_000);
    expect(ui.notices).toEqual([]);
  });
});
