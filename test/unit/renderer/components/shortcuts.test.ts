// The keyboard map of UX.md, checked on synthetic key events (no DOM needed: targets are stubs).
import { describe, expect, it } from 'vitest';
import { handleShortcut, type ShortcutActions } from '../../../../renderer/src/components/shortcuts.js';

function target(selector: string | null) {
  return {
    closest: (s: string) => (selector && s.split(',').some((part) => part.trim() === selector) ? {} : null),
  };
}

function press(
  key: string,
  mods: { ctrl?: boolean; shift?: boolean; meta?: boolean } = {},
  inside: string | null = null,
) {
  const calls: string[] = [];
  const actions = new Proxy({} as ShortcutActions, { get: (_t, name: string) => () => calls.push(name) });
  const event = {
    key,
    ctrlKey: !!mods.ctrl,
    metaKey: !!mods.meta,
    shiftKey: !!mods.shift,
    altKey: false,
    target: target(inside),
  } as unknown as KeyboardEvent;
  const handled = handleShortcut(event, actions);
  return { handled, calls };
}

describe('studio shortcuts', () => {
  it('maps Ctrl/Cmd+S, Z, Shift+Z, Y and Enter', () => {
    expect(press('s', { ctrl: true }).calls).toEqual(['save']);
    expect(press('s', { meta: true }).calls).toEqual(['save']);
    expect(press('z', { ctrl: true }).calls).toEqual(['undo']);
    expect(press('Z', { ctrl: true, shift: true }).calls).toEqual(['redo']);
    expect(press('y', { ctrl: true }).calls).toEqual(['redo']);
    expect(press('Enter', { ctrl: true }).calls).toEqual(['train']);
  });

  it('maps Delete/Backspace, F and copy/paste on the canvas, but not while typing in a field', () => {
    expect(press('Delete').calls).toEqual(['remove']);
    expect(press('Backspace').calls).toEqual(['remove']);
    expect(press('f').calls).toEqual(['fit']);
    expect(press('c', { ctrl: true }).calls).toEqual(['copy']);
    expect(press('v', { ctrl: true }).calls).toEqual(['paste']);
    expect(press('Delete', {}, 'input')).toEqual({ handled: false, calls: [] });
    expect(press('f', {}, 'textarea')).toEqual({ handled: false, calls: [] });
    expect(press('v', { ctrl: true }, 'input').calls).toEqual([]);
  });

  it('leaves undo to Monaco inside the code editor, and Esc is never swallowed', () => {
    expect(press('z', { ctrl: true }, '.monaco-editor')).toEqual({ handled: false, calls: [] });
    expect(press('s', { ctrl: true }, '.monaco-editor').calls).toEqual(['save']);
    expect(press('Escape')).toEqual({ handled: false, calls: ['escape'] });
  });
});
