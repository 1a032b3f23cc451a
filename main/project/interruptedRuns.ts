// Runs cut off by a kill: the project still says `running`, but the process that recorded the run (its
// `pid`) is gone, or the run predates pids. Every open (CLI or studio) lists such a run as `stopped`, the
// status a run has when it ended early and can be resumed from its last checkpoint, with the step and the
// time of its last recorded event. Only the document in memory changes: the next save writes it back.
import type { ProjectDoc, RunSummary } from '../../core/project/index.js';
import { processAlive } from './atomic.js';

/** The step and time of the last event in a run's NDJSON history that has them. */
function lastRecorded(history: Uint8Array | undefined): { step?: number; time?: number } {
  if (!history) return {};
  const lines = new TextDecoder().decode(history).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    let event: unknown;
    try {
      event = JSON.parse(lines[i]!);
    } catch {
      continue; // empty, or a line cut by the kill
    }
    const { step, steps, time } = (event ?? {}) as { step?: unknown; steps?: unknown; time?: unknown };
    const at = typeof step === 'number' ? step : typeof steps === 'number' ? steps : undefined;
    if (at !== undefined && Number.isInteger(at) && at >= 0)
      return { step: at, ...(typeof time === 'number' ? { time } : {}) };
  }
  return {};
}

function interrupted(run: RunSummary, history: Uint8Array | undefined): RunSummary {
  const { pid: _pid, ...rest } = run;
  const last = lastRecorded(history);
  const endedAt =
    last.time !== undefined && Number.isFinite(new Date(last.time).getTime())
      ? new Date(last.time).toISOString()
      : undefined;
  return {
    ...rest,
    status: 'stopped',
    ...(last.step !== undefined ? { steps: last.step } : {}),
    ...(endedAt && !run.endedAt ? { endedAt } : {}),
  };
}

/**
 * The document with every run whose recording process is gone marked stopped (the same object when
 * there is none). `readEntry` gives a run's history; `alive` tells a live pid (tests pass their own).
 */
export function markInterruptedRuns(
  doc: ProjectDoc,
  readEntry: (name: string) => Uint8Array | undefined,
  alive: (pid: number) => boolean = processAlive,
): ProjectDoc {
  const cutOff = (run: RunSummary) => run.status === 'running' && (run.pid === undefined || !alive(run.pid));
  if (!doc.runs.some(cutOff)) return doc;
  return {
    ...doc,
    runs: doc.runs.map((run) =>
      cutOff(run) ? interrupted(run, run.history ? readEntry(run.history) : undefined) : run,
    ),
  };
}
