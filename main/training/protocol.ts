// The messages between a studio process and the engine process running one training run. The same
// protocol runs over child_process IPC (CLI, web host), worker_threads and Electron's utilityProcess
// parentPort: each side only needs a MessagePort-like `RunnerPort`.
import type { BackendChoice } from '../../core/api/backends.js';
import type { TelemetryEvent } from '../../core/telemetry/events.js';
import type { TrainingConfigInput } from '../../core/training/config.js';

/**
 * What to train. `workload.module` is a module (path or file URL) exporting `createWorkload(options)`
 * (see workload.ts): the project workload for real runs, a toy one in tests. Chosen by main-side code,
 * never by the renderer.
 */
export interface RunSpec {
  runId: string;
  workload: { module: string; options: unknown };
  /** Overrides on top of the workload's own training config (CLI --epochs, UI learning rate). */
  config?: TrainingConfigInput;
  /** 'auto' walks the backend ladder. */
  backend: BackendChoice;
  /** A checkpoint (encoded, core/training/checkpoint.ts) to continue from. */
  resumeFrom?: Uint8Array;
}

export type ToRunner =
  | { type: 'start'; spec: RunSpec }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** The host wrote checkpoint `id` (or could not: `error`); the loop waits for this before going on. */
  | { type: 'checkpoint-saved'; id: number; location?: string; error?: string };

export type FromRunner =
  | { type: 'ready' }
  | { type: 'event'; event: TelemetryEvent }
  /** A checkpoint to persist (the host writes it into the project atomically). */
  | {
      type: 'checkpoint';
      id: number;
      reason: 'epoch' | 'stop' | 'best';
      epoch: number;
      step: number;
      bytes: Uint8Array;
    }
  /** The run is over (after its run-end event); the process may exit. */
  | { type: 'done' }
  /** Something failed before or outside the loop (bad project, no backend): what and where. */
  | { type: 'fatal'; message: string; where?: string };

/** The least a transport must offer: send, and listen (returning how to stop listening). */
export interface RunnerPort<In, Out> {
  postMessage(message: Out): void;
  onMessage(listener: (message: In) => void): () => void;
}
