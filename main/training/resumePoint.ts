// Where `--resume` continues from: the newest checkpoint of the project's latest run that has one. A run
// keeps two (checkpoints/<run>/latest.ckpt and best.ckpt); the loop writes best before latest at the end
// of an epoch, so a kill between the two saves leaves best newer than latest (or latest missing). Both
// are read, and the one further along wins (latest on a tie); one that does not decode is skipped.
import type { ProjectDoc } from '../../core/project/index.js';
import { decodeCheckpoint } from '../../core/training/checkpoint.js';
import { checkpointEntry } from './runRecord.js';

export interface ResumePoint {
  runId: string;
  /** Which of the run's checkpoints is used. */
  which: 'latest' | 'best';
  entry: string;
  bytes: Uint8Array;
  epoch: number;
  step: number;
  /** Why the other one was not used, when it exists but is older or unreadable. */
  skipped?: string;
}

function readable(
  bytes: Uint8Array | undefined,
): { epoch: number; step: number } | { problem: string } | undefined {
  if (!bytes) return undefined;
  try {
    const state = decodeCheckpoint(bytes);
    return { epoch: state.epoch, step: state.step };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

export function findResumePoint(
  doc: ProjectDoc,
  readEntry: (name: string) => Uint8Array | undefined,
): ResumePoint | undefined {
  for (const run of [...doc.runs].reverse()) {
    const latestEntry = run.checkpoint ?? checkpointEntry(run.id, 'latest');
    const candidates = [
      { which: 'latest' as const, entry: latestEntry },
      { which: 'best' as const, entry: checkpointEntry(run.id, 'best') },
    ]
      .map((c) => ({ ...c, bytes: readEntry(c.entry) }))
      .map((c) => ({ ...c, state: readable(c.bytes) }));
    const usable = candidates.filter((c) => c.state && 'step' in c.state) as ((typeof candidates)[number] & {
      bytes: Uint8Array;
      state: { epoch: number; step: number };
    })[];
    if (usable.length === 0) continue;
    // Latest first, so a tie keeps latest; a strictly newer best replaces it.
    const chosen = usable.reduce((a, b) => (b.state.step > a.state.step ? b : a));
    const other = candidates.find((c) => c !== chosen && c.bytes);
    const skipped = !other?.state
      ? undefined
      : 'problem' in other.state
        ? `the ${other.which} checkpoint is unreadable (${other.state.problem})`
        : other.state.step < chosen.state.step
          ? `the ${other.which} checkpoint is older (step ${other.state.step})`
          : undefined;
    return {
      runId: run.id,
      which: chosen.which,
      entry: chosen.entry,
      bytes: chosen.bytes,
      ...chosen.state,
      ...(skipped ? { skipped } : {}),
    };
  }
  return undefined;
}
