// Undo/redo as a stack of whole-document snapshots. A project document is small (a graph of tens to a few
// hundred nodes), so snapshots are simpler and safer than inverse operations, and every kind of edit
// (canvas, inspector, code view) undoes the same way. Edits that arrive in a burst with the same key
// (typing in one field, dragging one node) merge into one step so Ctrl+Z undoes what the user did.

export interface HistoryEntry {
  /** The serialized document before the edit. */
  before: string;
  /** Edits with the same key within `mergeWindowMs` merge into one step. */
  key: string | undefined;
  at: number;
}

export class EditHistory {
  private undoStack: HistoryEntry[] = [];
  private redoStack: string[] = [];

  constructor(
    private readonly limit = 200,
    private readonly mergeWindowMs = 1200,
  ) {}

  /** Record the document as it was before an edit. */
  record(before: string, key?: string, now = Date.now()): void {
    const last = this.undoStack[this.undoStack.length - 1];
    this.redoStack = [];
    if (key && last && last.key === key && now - last.at < this.mergeWindowMs) {
      last.at = now; // same burst: keep the oldest "before", extend the window
      return;
    }
    this.undoStack.push({ before, key, at: now });
    if (this.undoStack.length > this.limit) this.undoStack.shift();
  }

  /** Returns the document to restore, or null when there is nothing to undo. */
  undo(current: string): string | null {
    const entry = this.undoStack.pop();
    if (!entry) return null;
    this.redoStack.push(current);
    return entry.before;
  }

  redo(current: string): string | null {
    const next = this.redoStack.pop();
    if (next === undefined) return null;
    this.undoStack.push({ before: current, key: undefined, at: 0 });
    return next;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
  }
}
