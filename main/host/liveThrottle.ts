// Bounds how many per-batch events reach the UI live. A small model can finish hundreds of batches a
// second; sending each one would keep the renderer's main thread busy parsing and folding events, and
// the dashboards redraw only a few times a second anyway. Batch events of a run pass at most once per
// `intervalMs`; the last batch before any other event (epoch, probe, checkpoint, run-end …) is always
// delivered first, so epoch boundaries and the final values are exact. The run's history in the project
// keeps every event.
export interface Tagged {
  runId: string;
  event: { type?: unknown };
}

export function throttleBatches<T extends Tagged>(
  forward: (item: T) => void,
  intervalMs = 50,
  now: () => number = Date.now,
): (item: T) => void {
  const lastSent = new Map<string, number>();
  const held = new Map<string, T>();
  return (item) => {
    if (item.event.type !== 'batch') {
      const pending = held.get(item.runId);
      if (pending) forward(pending);
      held.delete(item.runId);
      if (item.event.type === 'run-end') lastSent.delete(item.runId);
      forward(item);
      return;
    }
    const t = now();
    if (t - (lastSent.get(item.runId) ?? -Infinity) >= intervalMs) {
      lastSent.set(item.runId, t);
      held.delete(item.runId);
      forward(item);
    } else {
      held.set(item.runId, item);
    }
  };
}
