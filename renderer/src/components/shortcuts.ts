// The studio's keyboard shortcuts (UX.md): Ctrl/Cmd+S save, Z / Shift+Z undo/redo, Delete remove,
// F fit view, Ctrl/Cmd+Enter train, Esc stop/clear, Ctrl/Cmd+C/V copy/paste blocks. Keys that would
// disturb typing (Delete, F, copy/paste) are left alone while focus is in a text field or an editor.
export interface ShortcutActions {
  save(): void;
  undo(): void;
  redo(): void;
  remove(): void;
  fit(): void;
  train(): void;
  escape(): void;
  copy(): void;
  paste(): void;
}

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.closest) return false;
  return Boolean(el.closest('input, textarea, select, [contenteditable="true"], .monaco-editor'));
}

/**
 * Maps one keydown to an action; returns true when the key was the studio's (so the default is prevented).
 */
export function handleShortcut(event: KeyboardEvent, actions: ShortcutActions): boolean {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  const typing = isTyping(event.target);
  const inEditor = Boolean((event.target as HTMLElement | null)?.closest?.('.monaco-editor, textarea'));
  if (mod && key === 's') return run(actions.save);
  if (mod && key === 'enter') return run(actions.train);
  if (mod && !inEditor && ((key === 'z' && event.shiftKey) || key === 'y')) return run(actions.redo);
  if (mod && !inEditor && key === 'z') return run(actions.undo);
  if (key === 'escape') return (actions.escape(), false);
  if (typing) return false;
  if (mod && key === 'c') return run(actions.copy);
  if (mod && key === 'v') return run(actions.paste);
  if (!mod && !event.altKey && (key === 'delete' || key === 'backspace')) return run(actions.remove);
  if (!mod && !event.altKey && key === 'f') return run(actions.fit);
  return false;
}

function run(action: () => void): true {
  action();
  return true;
}
