// A run's status as the project records it and every view shows it, and the one mapping from how a run
// ended (telemetry `run-end`) to that status. Early stopping is a normal way to finish: `completed`.
import type { RunEndEvent } from '../telemetry/events.js';
import type { RunSummary } from './schema.js';

export type RunState = RunSummary['status'];

export function statusOfEnd(end: RunEndEvent['status']): RunState {
  switch (end) {
    case 'completed':
    case 'early-stopped':
      return 'completed';
    case 'stopped':
      return 'stopped';
    case 'failed':
      return 'failed';
    default: {
      const unhandled: never = end;
      throw new Error(`run-end status "${String(unhandled)}" has no run status`);
    }
  }
}
