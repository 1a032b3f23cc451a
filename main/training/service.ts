// TrainingService: what the host handlers (web host, Electron IPC) and the CLI call to train. Each run
// gets its own engine process; its events are recorded into the project and fanned out to listeners.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { annotateRun, type RunAnnotation, type RunSummary } from '../../core/project/index.js';
import type { TelemetryEvent } from '../../core/telemetry/events.js';
import { makeEvent } from '../../core/telemetry/events.js';
import type { HistoryEntry } from '../../core/telemetry/history.js';
import type { TrainingConfigInput } from '../../core/training/config.js';
import type { ProjectStore } from '../project/index.js';
import type { FromRunner, RunSpec } from './protocol.js';
import { startProblem } from './preflight.js';
import { findResumePoint } from './resumePoint.js';
import { readHistory, readHistoryPage, RunRecord, historyEntry } from './runRecord.js';
import { startRunProcess, type RunExit, type RunProcess } from './runProcess.js';

export interface StartOptions {
  epochs?: number;
  backend?: RunSpec['backend'];
  /** Continue the project's latest run from its last checkpoint. */
  resume?: boolean;
  learningRate?: number;
  runName?: string;
  /** Further overrides of the project's training config. */
  config?: TrainingConfigInput;
}

export type RunListener = (message: { runId: string; projectId: string; event: TelemetryEvent }) => void;

export interface TrainingServiceOptions {
  store: ProjectStore;
  /** The workload module (defaults to the project workload); tests pass a toy one. */
  workloadModule?: string;
  /** Builds the workload options from the project (defaults to its document and data/ entries). */
  workloadOptions?: (store: ProjectStore, projectId: string) => unknown;
  /**
   * Starts the engine process of a run (default: child_process.fork of runnerProcess). Electron passes
   * one built on utilityProcess.fork speaking the same protocol (see utilityRunner.ts for its child side).
   */
  launch?: typeof startRunProcess;
  /**
   * Runs this service trains at once, across projects (one per project always). Default 2, or
   * RNN_STUDIO_MAX_RUNS: each run is an engine process that keeps a core busy and holds its model, data and
   * backend in memory (hundreds of MB); past two on a laptop they slow each other more than they gain.
   */
  maxConcurrentRuns?: number;
}

/** The default limit of runs at once (see TrainingServiceOptions.maxConcurrentRuns). */
export function defaultMaxRuns(env: Record<string, string | undefined> = process.env): number {
  const set = Number(env.RNN_STUDIO_MAX_RUNS);
  return Number.isInteger(set) && set >= 1 ? set : 2;
}

/** What `start` answers: the run, and for a resume which checkpoint it continues from. */
export interface StartedRun {
  runId: string;
  resumedFrom?: { checkpoint: 'latest' | 'best'; entry: string; epoch: number; step: number; note?: string };
}

interface ActiveRun {
  projectId: string;
  process: RunProcess;
  record: RunRecord;
  /** Saves are chained so two checkpoints never write the project at once. */
  saving: Promise<void>;
  finished: Promise<RunExit>;
  /** Its run-end was heard: the engine process is only finishing (saves, exit), no longer training. */
  ended: boolean;
}

export class TrainingError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'invalid-input' = 'invalid-input',
    readonly where?: string,
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}

const defaultWorkload = () => {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith('.ts') ? './projectWorkload.ts' : './projectWorkload.js', here));
};

function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(2).toString('hex')}`;
}

export class TrainingService {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly listeners = new Set<RunListener>();

  constructor(private readonly options: TrainingServiceOptions) {}

  onEvent(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(projectId: string, options: StartOptions = {}): Promise<StartedRun> {
    const { store } = this.options;
    const doc = store.doc(projectId);
    const active = [...this.runs.values()];
    if (active.some((r) => r.projectId === projectId)) {
      throw new TrainingError(
        'This project is already training: stop that run first.',
        'invalid-input',
        'projectId',
      );
    }
    const limit = this.options.maxConcurrentRuns ?? defaultMaxRuns();
    if (active.length >= limit) {
      throw new TrainingError(
        `${active.length} run${active.length === 1 ? ' is' : 's are'} training already, ` +
          `the most this studio trains at once (${limit}): wait for one to finish or stop one, ` +
          `then start again.`,
        'invalid-input',
        'projectId',
      );
    }
    const config: TrainingConfigInput = {
      ...(options.config ?? {}),
      ...(options.epochs ? { epochs: options.epochs } : {}),
      ...(options.learningRate
        ? { optimizer: { ...(options.config?.optimizer ?? {}), learningRate: options.learningRate } }
        : {}),
    };
    const problem = startProblem(doc, config, {
      projectWorkload: !this.options.workloadModule,
      projectPath: store.get(projectId).path,
      hasEntry: (name) => store.readEntry(projectId, name) !== undefined,
    });
    if (problem) throw new TrainingError(problem.message, 'invalid-input', problem.where);
    let runId = newRunId();
    let resumeFrom: Uint8Array | undefined;
    let resumedFrom: StartedRun['resumedFrom'];
    let previous: string[] = [];
    if (options.resume) {
      const point = findResumePoint(doc, (name) => store.readEntry(projectId, name));
      if (!point)
        throw new TrainingError('There is no checkpoint to resume from: train first.', 'not-found', 'resume');
      runId = point.runId;
      resumeFrom = point.bytes;
      resumedFrom = {
        checkpoint: point.which,
        entry: point.entry,
        epoch: point.epoch,
        step: point.step,
        ...(point.skipped ? { note: point.skipped } : {}),
      };
      const history = store.readEntry(projectId, historyEntry(runId));
      previous = history
        ? new TextDecoder()
            .decode(history)
            .split('\n')
            .filter((l) => l.trim())
        : [];
    }
    const spec: RunSpec = {
      runId,
      workload: {
        module: this.options.workloadModule ?? defaultWorkload(),
        options: (this.options.workloadOptions ?? projectWorkloadOptions)(store, projectId),
      },
      config,
      backend: options.backend ?? 'auto',
      ...(resumeFrom ? { resumeFrom } : {}),
    };
    const record = new RunRecord(store, projectId, runId, options.runName ?? runId, previous);
    // Messages arrive asynchronously, after `holder.run` is set below.
    const holder: { run?: ActiveRun } = {};
    const process = (this.options.launch ?? startRunProcess)(spec, (message) => {
      try {
        this.handle(runId, projectId, message, () => holder.run);
      } catch (error) {
        // A bug in recording must not take down the studio process; the run goes on.
        console.error(`training ${runId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    const finished = process.exited.then(async (exit) => {
      if (holder.run) await holder.run.saving.catch(() => {});
      await record.finish().catch(() => {});
      this.runs.delete(runId);
      return exit;
    });
    holder.run = { projectId, process, record, saving: Promise.resolve(), finished, ended: false };
    this.runs.set(runId, holder.run);
    if (resumedFrom?.checkpoint === 'best') {
      // Said in the run's own history and on every screen watching it, not only to the caller.
      this.emit(
        runId,
        projectId,
        makeEvent({
          type: 'warning',
          code: 'resumed-from-best',
          message:
            `Resuming from the best checkpoint (epoch ${resumedFrom.epoch}, ` +
            `step ${resumedFrom.step}): ${resumedFrom.note ?? 'the latest checkpoint is missing'} (the ` +
            `run was cut off between saving the two).`,
        }),
      );
    }
    return { runId, ...(resumedFrom ? { resumedFrom } : {}) };
  }

  private handle(
    runId: string,
    projectId: string,
    message: FromRunner,
    active: () => ActiveRun | undefined,
  ): void {
    const run = active();
    if (!run) return;
    if (message.type === 'event') {
      if (message.event.type === 'run-end') run.ended = true;
      run.record.onEvent(message.event);
      for (const listener of this.listeners) listener({ runId, projectId, event: message.event });
    } else if (message.type === 'checkpoint') {
      run.saving = run.saving
        .then(async () => {
          const location = await run.record.onCheckpoint(message.reason, message.bytes);
          run.process.checkpointSaved(message.id, { location });
        })
        .catch((error: unknown) => {
          run.process.checkpointSaved(message.id, {
            error: error instanceof Error ? error.message : String(error),
          });
          this.emit(
            runId,
            projectId,
            makeEvent({
              type: 'warning',
              code: 'checkpoint-not-saved',
              message: `The checkpoint could not be saved into the project: ${String(error)}`,
            }),
          );
        });
    } else if (message.type === 'fatal') {
      run.ended = true; // nothing trains after a fatal error; the process is on its way out
      const code =
        message.where === 'out-of-memory' ? 'out-of-memory' : message.where === 'crash' ? 'crash' : 'invalid';
      this.emit(runId, projectId, makeEvent({ type: 'error', code, message: message.message }));
    }
  }

  private emit(runId: string, projectId: string, event: TelemetryEvent): void {
    this.runs.get(runId)?.record.onEvent(event);
    for (const listener of this.listeners) listener({ runId, projectId, event });
  }

  private find(runId: string): ActiveRun {
    const run = this.runs.get(runId);
    if (!run) throw new TrainingError(`No run "${runId}" is training now.`, 'not-found', 'runId');
    return run;
  }

  pause(runId: string): void {
    this.find(runId).process.pause();
  }

  resume(runId: string): void {
    this.find(runId).process.resume();
  }

  stop(runId: string): void {
    this.find(runId).process.stop();
  }

  /** Resolves when the run's engine process has exited and the project holds its final record. */
  async finished(runId: string): Promise<RunExit | undefined> {
    return this.runs.get(runId)?.finished;
  }

  isRunning(runId: string): boolean {
    return this.runs.has(runId);
  }

  /** The run training the project now (one per project at most), if any; not one that has ended. */
  runOf(projectId: string): string | undefined {
    for (const [runId, run] of this.runs) if (run.projectId === projectId && !run.ended) return runId;
    return undefined;
  }

  /**
   * Resolves once no engine process of the project is left: a run that has ended (the UI already shows
   * it finished) still writes its final record and exits for a moment.
   */
  async settled(projectId: string): Promise<void> {
    await Promise.all(
      [...this.runs.values()].filter((r) => r.projectId === projectId).map((r) => r.finished),
    );
  }

  /**
   * The project's runs. A run recorded as running that no process of ours is training was cut off (the
   * studio or CLI was killed): it is reported as stopped, resumable from its last checkpoint.
   */
  listRuns(projectId: string): RunSummary[] {
    return this.options.store
      .doc(projectId)
      .runs.map((run) =>
        run.status === 'running' && !this.runs.has(run.id) ? { ...run, status: 'stopped' as const } : run,
      );
  }

  /**
   * The user's note and tags on a run, past or training now: written into the project (unsaved until the
   * user saves; autosaved for recovery). A run still training keeps them when it next writes its summary.
   */
  annotateRun(projectId: string, runId: string, change: RunAnnotation): RunSummary {
    const store = this.options.store;
    const result = annotateRun(store.doc(projectId), runId, change);
    if (!result)
      throw new TrainingError(
        `This project has no run "${runId}" yet (a run is listed once its training has started).`,
        'not-found',
        'runId',
      );
    store.update(projectId, result.doc);
    return result.run;
  }

  history(projectId: string, runId: string): TelemetryEvent[] {
    return readHistory(this.options.store, projectId, runId);
  }

  /** One page of the run's events from offset `from` (see readHistoryPage): the UI loads long runs so. */
  historyPage(projectId: string, runId: string, from: number, limit: number): HistoryEntry[] {
    return readHistoryPage(this.options.store, projectId, runId, from, limit);
  }

  /** Stop every run (checkpoints are written) and wait for their processes. */
  async dispose(): Promise<void> {
    const all = [...this.runs.values()];
    for (const run of all) run.process.stop();
    await Promise.all(all.map((r) => r.finished));
  }
}

/** The project workload's options: the document and the data/ entries an embedded dataset reads. */
export function projectWorkloadOptions(store: ProjectStore, projectId: string): unknown {
  const files: Record<string, Uint8Array> = {};
  for (const name of store.listEntries(projectId, 'data/')) {
    const bytes = store.readEntry(projectId, name);
    if (bytes) files[name] = bytes;
  }
  const session = store.get(projectId);
  const access = store.access;
  return {
    doc: session.doc,
    files,
    projectPath: session.path,
    ...(access.mode === 'workspace' ? { workspace: [...access.roots] } : {}),
  };
}
