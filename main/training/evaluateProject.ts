// `rnn-studio eval`: a project's model with the weights of its latest run's checkpoint, on the
// validation (or test) split, in this process. Metric names come out snake_case for scripts.
import { pathToFileURL } from 'node:url';
import { decodeCheckpoint } from '../../core/training/checkpoint.js';
import { evaluateSplit } from '../../core/training/evaluate.js';
import { restoreWeights } from '../../core/training/weights.js';
import { selectBackend, type BackendChoice } from '../engine/backend.js';
import type { ProjectStore } from '../project/index.js';
import { checkpointEntry } from './runRecord.js';
import { projectWorkloadOptions } from './service.js';
import { WorkloadError, type CreateWorkload } from './workload.js';

export interface EvaluateOptions {
  which?: 'latest' | 'best';
  backend?: BackendChoice;
  /** The workload module (defaults to the project workload). */
  workloadModule?: string;
  workloadOptions?: unknown;
}

export interface EvaluateReport {
  run: string;
  epoch: number;
  split: 'validation' | 'train';
  examples: number;
  backend: string;
  /** loss, and as the task has them accuracy, token_accuracy, exact_match, mse, mae, perplexity. */
  metrics: Record<string, number | null>;
}

export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export async function evaluateProject(store: ProjectStore, projectId: string, options: EvaluateOptions = {}): Promise<EvaluateReport> {
  const which = options.which ?? 'best';
  const doc = store.doc(projectId);
  const candidates = [...doc.runs].reverse();
  const run = candidates.find((r) => store.readEntry(projectId, checkpointEntry(r.id, which)) ?? store.readEntry(projectId, checkpointEntry(r.id, 'latest')));
  if (!run) throw new WorkloadError('The project has no trained weights: train it first.', 'runs');
  const bytes = store.readEntry(projectId, checkpointEntry(run.id, which)) ?? store.readEntry(projectId, checkpointEntry(run.id, 'latest'));
  const state = decodeCheckpoint(bytes as Uint8Array);
  const backend = await selectBackend(options.backend ?? 'auto');
  const here = import.meta.url;
  const module = options.workloadModule ?? new URL(here.endsWith('.ts') ? './projectWorkload.ts' : './projectWorkload.js', here).href;
  const url = /^[a-z]+:/i.test(module) ? module : pathToFileURL(module).href;
  const { createWorkload } = (await import(url)) as { createWorkload: CreateWorkload };
  const workload = await createWorkload(options.workloadOptions ?? projectWorkloadOptions(store, projectId));
  try {
    restoreWeights(workload.model.weights, state.weights);
    const validation = workload.data.validation;
    const source = validation && validation.size > 0 ? validation : workload.data.train;
    const summary = await evaluateSplit(workload.model, source, state.config.batchSize, workload.data.task === 'language-model');
    const metrics: Record<string, number | null> = { loss: summary.loss };
    for (const [k, v] of Object.entries(summary.metrics)) metrics[snakeCase(k)] = v;
    if (summary.perplexity !== undefined) metrics.perplexity = summary.perplexity;
    return { run: run.id, epoch: state.epoch, split: source === validation ? 'validation' : 'train', examples: source.size, backend: backend.label, metrics };
  } finally {
    workload.model.dispose();
  }
}
