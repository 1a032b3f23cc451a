// Shared by the engine-* verify scripts (run alone it does nothing): they train through the studio's own
// path — a template's project (resources/templates), its generator's data split and encoded as a run sees
// it (main/training/projectData), the graph sized and compiled by the engine (main/training/projectWorkload
// → core/engine/compile), and core/training's loop — so what they prove is what a user's run does.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { RunControl } from '../../core/training/control.js';
import {
  resolveWorkers,
  TrainingConfigSchema,
  type TrainingConfigInput,
} from '../../core/training/config.js';
import { train } from '../../core/training/loop.js';
import type { ExampleSource, TrainingData } from '../../core/training/source.js';
import type { StudioModel } from '../../core/engine/types.js';
import type { Graph } from '../../core/graph/types.js';
import type { ProjectDoc } from '../../core/project/index.js';
import type { RunEndEvent } from '../../core/telemetry/events.js';
import { selectBackend, type BackendReport } from '../../main/engine/backend.js';
import { loadTemplate } from '../../main/project/templates.js';
import { buildProjectData } from '../../main/training/projectData.js';
import { createWorkload } from '../../main/training/projectWorkload.js';
import { type ShardPool, startRunHelpers } from '../../main/training/shards/shardPool.js';

/** A numeric `--name value` argument; a value that is not a number is refused, naming the argument. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (process.argv[i + 1] === undefined || !Number.isFinite(value)) {
    throw new Error(`${name} needs a number (got ${process.argv[i + 1] ?? 'nothing'})`);
  }
  return value;
}

/** A `--name value` argument restricted to `choices`. */
export function choice<C extends string>(name: string, choices: readonly C[], fallback: C): C {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  if (!choices.includes(value as C))
    throw new Error(`${name} must be one of ${choices.join(', ')} (got ${value ?? 'nothing'})`);
  return value as C;
}

/** `--workers auto|N` as a training-settings override (absent: the template's own setting, `auto`). */
export function workersOverride(): { workers?: 'auto' | number } {
  const i = process.argv.indexOf('--workers');
  if (i < 0) return {};
  const text = process.argv[i + 1];
  const n = Number(text);
  if (text === 'auto') return { workers: 'auto' };
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--workers needs auto or a whole number from 1 (got ${text ?? 'nothing'})`);
  return { workers: n };
}

/**
 * The run's data-parallel workers as a real run starts them (the project's `workers` setting, worker
 * threads building the same project workload); `close` ends them.
 */
export async function startWorkers(
  run: StudioRun,
  backend: string,
): Promise<{ helpers?: ShardPool; workers: number; close: () => Promise<void> }> {
  const workers = resolveWorkers(run.doc.training.workers, availableParallelism());
  const module = fileURLToPath(new URL('../../main/training/projectWorkload.ts', import.meta.url));
  const options = { doc: run.doc, files: {}, projectPath: null };
  const spec = { runId: `verify-${run.doc.name}`, backend: backend as 'wasm', workload: { module, options } };
  const { helpers, note } = await startRunHelpers(spec, backend, workers, run.model);
  if (note) console.log(`  ${note}`);
  const count = helpers ? helpers.count + 1 : 1;
  console.log(`  training on ${count} worker${count > 1 ? 's' : ''} (setting: ${run.doc.training.workers})`);
  return { ...(helpers ? { helpers } : {}), workers: count, close: async () => helpers?.close() };
}

export async function useBackend(): Promise<BackendReport> {
  const report = await selectBackend((process.env.BACKEND as 'wasm' | 'cpu' | undefined) ?? 'auto');
  for (const line of report.fallbacks) console.error(line);
  return report;
}

/** A built-in template's project with its generator params, graph and training settings replaced. */
export async function templateProject(
  id: string,
  change: {
    params: Record<string, unknown>;
    seed?: number;
    graph?: (graph: Graph) => Graph;
    training: TrainingConfigInput;
  },
): Promise<ProjectDoc> {
  const { template } = await loadTemplate('resources', id);
  const doc = structuredClone(template.project);
  const source = doc.dataset?.source;
  if (!doc.dataset || source?.kind !== 'generator')
    throw new Error(`template ${id} has no generator dataset`);
  doc.dataset = {
    ...doc.dataset,
    source: { ...source, params: change.params, ...(change.seed !== undefined ? { seed: change.seed } : {}) },
  };
  if (change.graph) doc.graph = change.graph(doc.graph);
  // Probing every epoch costs a forward/backward pass the verify figures do not need.
  doc.training = TrainingConfigSchema.parse({ probe: { everyEpochs: 0 }, ...change.training });
  return doc;
}

export interface StudioRun {
  model: StudioModel;
  data: TrainingData;
  /** The dataset's own test split: never trained on, never used to choose anything. */
  test: ExampleSource;
  /** The project as trained, for printing its settings. */
  doc: ProjectDoc;
}

/** What a run of this project trains (the engine process's createWorkload), plus its test split. */
export async function buildRun(doc: ProjectDoc): Promise<StudioRun> {
  const workload = await createWorkload({ doc, files: {}, projectPath: null });
  const { test } = await buildProjectData(doc, {}, null);
  return { model: workload.model, data: workload.data, test, doc };
}

export interface Clock {
  /** Wall seconds and process CPU seconds (user + system) since the clock started. */
  read(): { wall: number; cpu: number };
  text(): string;
}

export function startClock(): Clock {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const read = () => {
    const cpu = process.cpuUsage(cpu0);
    return { wall: (performance.now() - wall0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
  };
  return {
    read,
    text: () => {
      const r = read();
      return `${r.wall.toFixed(0)} s wall, ${r.cpu.toFixed(0)} s CPU`;
    },
  };
}

/**
 * Trains with core/training's loop. After each epoch `afterEpoch` sees the epoch event and may return
 * true to stop the run there (the target is met: more epochs would only cost time).
 */
export async function trainRun(
  run: StudioRun,
  backend: string,
  afterEpoch: (event: {
    epoch: number;
    step: number;
    trainLoss: number | null;
    validationLoss: number | null;
  }) => boolean,
): Promise<RunEndEvent> {
  const control = new RunControl();
  const workers = await startWorkers(run, backend);
  return train({
    runId: `verify-${run.doc.name}`,
    model: run.model,
    data: run.data,
    config: run.doc.training,
    backend,
    control,
    ...(workers.helpers ? { helpers: workers.helpers } : {}),
    hooks: {
      emit: (e) => {
        if (e.type === 'error') console.log(`  error: ${e.message}`);
        if (e.type !== 'epoch') return;
        const stop = afterEpoch({
          epoch: e.epoch,
          step: e.step,
          trainLoss: e.train.loss,
          validationLoss: e.validation?.loss ?? null,
        });
        if (stop) control.stop();
      },
      saveCheckpoint: () => 'memory',
    },
  }).finally(workers.close);
}

/** Frees a trained model and every variable tfjs still holds, so the next run starts clean. */
export function release(model: StudioModel): void {
  model.dispose();
  tf.disposeVariables();
}
