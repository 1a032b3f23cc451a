// The engine-process side of a run: receives `start`, builds the workload, picks the backend, trains,
// and streams events and checkpoints back. A plain module over a RunnerPort, so the child process, a
// worker thread and Electron's utilityProcess all host it with a few lines (see runnerProcess.ts).
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { decodeCheckpoint, encodeCheckpoint } from '../../core/training/checkpoint.js';
import { resolveWorkers, TrainingConfigSchema } from '../../core/training/config.js';
import { RunControl } from '../../core/training/control.js';
import { train } from '../../core/training/loop.js';
import { chooseFastestRung, ladderRungs, type Rung, trainingTrial } from '../engine/autoBackend.js';
import { selectBackend, type BackendChoice } from '../engine/backend.js';
import { mergeConfig } from './configOverrides.js';
import type { FromRunner, RunnerPort, RunSpec, ToRunner } from './protocol.js';
import { type ShardPool, startRunHelpers } from './shards/shardPool.js';
import { WorkloadError, type CreateWorkload } from './workload.js';

/** Import the workload module a spec names and build it (the runner and every shard worker do this). */
export async function loadWorkload(spec: RunSpec) {
  const url = /^[a-z]+:/i.test(spec.workload.module)
    ? spec.workload.module
    : pathToFileURL(spec.workload.module).href;
  const mod = (await import(url)) as { createWorkload?: CreateWorkload };
  if (typeof mod.createWorkload !== 'function')
    throw new WorkloadError(`${spec.workload.module} exports no createWorkload.`);
  return mod.createWorkload(spec.workload.options);
}

/** Checkpoints sent and not yet acknowledged by the host, by id. */
type Acks = Map<number, (result: { location?: string; error?: string }) => void>;

export async function runSpec(
  spec: RunSpec,
  port: RunnerPort<ToRunner, FromRunner>,
  control: RunControl,
  acks: Acks = new Map(),
  /** The rungs `auto` times (tests name their own). */
  autoRungs: () => Rung[] | Promise<Rung[]> = ladderRungs,
): Promise<void> {
  let nextId = 1;
  let backend = await selectBackend(spec.backend as BackendChoice);
  const workload = await loadWorkload(spec);
  const parsed = TrainingConfigSchema.safeParse(mergeConfig(workload.config, spec.config));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WorkloadError(
      `training.${issue?.path.join('.')}: ${issue?.message}`,
      `training.${issue?.path.join('.')}`,
    );
  }
  if (spec.backend === 'auto') {
    // The model is built; time it on every rung that starts and train on the fastest.
    const { trial, restore } = await trainingTrial(workload.model, workload.data, parsed.data);
    backend = await chooseFastestRung(await autoRungs(), trial);
    restore();
  }
  const resumeFrom = spec.resumeFrom ? decodeCheckpoint(spec.resumeFrom) : undefined;
  const workers = resolveWorkers(parsed.data.workers, availableParallelism());
  const notes = [backend.description, ...backend.fallbacks];
  let helpers: ShardPool | undefined;
  try {
    const started = await startRunHelpers(spec, backend.name, workers, workload.model);
    helpers = started.helpers;
    if (started.note) notes.push(started.note);
    await train({
      runId: spec.runId,
      model: workload.model,
      data: workload.data,
      config: parsed.data,
      backend: backend.label,
      backendNote: notes.join('; '),
      ...(backend.choiceRefused
        ? { warnings: [{ code: 'backend-fallback', message: backend.choiceRefused }] }
        : {}),
      control,
      ...(helpers ? { helpers } : {}),
      ...(resumeFrom ? { resumeFrom } : {}),
      hooks: {
        emit: (event) => port.postMessage({ type: 'event', event }),
        // Wait until the host has written the checkpoint into the project: a crash after this point
        // can lose at most the epoch in progress.
        saveCheckpoint: async (state, reason) => {
          const id = nextId++;
          const saved = new Promise<{ location?: string; error?: string }>((resolve) =>
            acks.set(id, resolve),
          );
          port.postMessage({
            type: 'checkpoint',
            id,
            reason,
            epoch: state.epoch,
            step: state.step,
            bytes: encodeCheckpoint(state),
          });
          const result = await saved;
          acks.delete(id);
          if (result.error) throw new Error(`The checkpoint could not be saved: ${result.error}`);
          return result.location ?? `checkpoints/${spec.runId}/${reason === 'best' ? 'best' : 'latest'}.ckpt`;
        },
        // Let pause/stop messages in between batches.
        yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
      },
    });
  } finally {
    await helpers?.close();
    workload.model.dispose();
  }
}

/** Serve one run over a port: wait for `start`, obey pause/resume/stop, report `done` or `fatal`. */
export function serveRunner(port: RunnerPort<ToRunner, FromRunner>, onFinished: () => void = () => {}): void {
  const control = new RunControl();
  const acks: Acks = new Map();
  let started = false;
  port.onMessage((message) => {
    if (message.type === 'checkpoint-saved')
      acks.get(message.id)?.({
        ...(message.location ? { location: message.location } : {}),
        ...(message.error ? { error: message.error } : {}),
      });
    else if (message.type === 'pause') control.pause();
    else if (message.type === 'resume') control.resume();
    else if (message.type === 'stop') control.stop();
    else if (message.type === 'start' && !started) {
      started = true;
      runSpec(message.spec, port, control, acks)
        .then(() => port.postMessage({ type: 'done' }))
        .catch((error: unknown) => {
          const where = error instanceof WorkloadError ? error.where : undefined;
          const text = error instanceof Error ? error.message : String(error);
          port.postMessage({ type: 'fatal', message: text, ...(where ? { where } : {}) });
        })
        .finally(onFinished);
    }
  });
  port.postMessage({ type: 'ready' });
}
