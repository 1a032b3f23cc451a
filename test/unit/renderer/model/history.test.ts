import { describe, expect, it } from 'vitest';
import { EditHistory } from '../../../../renderer/src/model/history.js';

describe('edit history', () => {
  it('undoes and redoes whole-document steps in order', () => {
    const h = new EditHistory();
    h.record('A', undefined, 0);
    h.record('B', undefined, 10_000);
    expect(h.undo('C')).toBe('B');
    expect(h.undo('B')).toBe('A');
    expect(h.undo('A')).toBeNull();
    expect(h.redo('A')).toBe('B');
    expect(h.redo('B')).toBe('C');
    expect(h.canRedo).toBe(false);
  });

  it('merges a burst of edits with the same key (typing in one field) into one step', () => {
    const h = new EditHistory(200, 1000);
    h.record('units=32', 'param:lstm:units', 0);
    h.record('units=1', 'param:lstm:units', 300);
    h.record('units=12', 'param:lstm:units', 600);
    expect(h.undo('units=128')).toBe('units=32');
    expect(h.canUndo).toBe(false);
  });

  it('keeps separate steps for different keys or after the merge window, and a new edit clears redo', () => {
    const h = new EditHistory(200, 1000);
    h.record('a', 'k', 0);
    h.record('b', 'k', 5000);
    h.record('c', 'other', 5100);
    expect(h.undo('d')).toBe('c');
    h.record('x', undefined, 6000);
    expect(h.canRedo).toBe(false);
  });

  it('drops the oldest steps beyond its limit', () => {
    const h = new EditHistory(3);
    for (const s of ['1', '2', '3', '4']) h.record(s, undefined, Number(s) * 10_000);
    expect([h.undo('5'), h.undo('4'), h.undo('3'), h.undo('2')]).toEqual(['4', '3', '2', null]);
  });
});
