// `rnn-studio eval`: a project's model with the weights of its latest run's checkpoint, on the
// validation (or test) split, in this process. Metric names come out snake_case for scripts.
import { pathToFileURL } from 'node:url';
import { encodeWithSpec } from '../../core/data/dataset.js';
import { decodeCheckpoint } from '../../core/training/checkpoint.js';
import { confusionOf } from '../../core/training/confusion.js';
import type { EvaluationReport } from '../../core/training/evaluationReport.js';
import { evaluateSplit } from '../../core/training/evaluate.js';
import { restoreWeights } from '../../core/training/weights.js';
import { selectBackend, type BackendChoice } from '../engine/backend.js';
import type { ProjectStore } from '../project/index.js';
import { readProjectFile, type ImportSource } from '../data/index.js';
import { filesOf } from '../inference/service.js';
import { loadTrainedProject } from '../inference/trainedProject.js';
import { encodedSource } from './projectData.js';
import { checkpointEntry } from './runRecord.js';
import { projectWorkloadOptions } from './service.js';
import { WorkloadError, type CreateWorkload } from './workload.js';

export interface EvaluateOptions {
  which?: 'latest' | 'best';
  backend?: BackendChoice;
  /** The workload module (defaults to the project workload). */
  workloadModule?: string;
  workloadOptions?: unknown;
  /** Score this file (in the project's format) instead of the validation split. */
  data?: ImportSource;
}

/** What eval returns (core/training/evaluationReport.ts). */
export type EvaluateReport = EvaluationReport;

export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export async function evaluateProject(
  store: ProjectStore,
  projectId: string,
  options: EvaluateOptions = {},
): Promise<EvaluateReport> {
  const which = options.which ?? 'best';
  const doc = store.doc(projectId);
  const candidates = [...doc.runs].reverse();
  const run = candidates.find(
    (r) =>
      store.readEntry(projectId, checkpointEntry(r.id, which)) ??
      store.readEntry(projectId, checkpointEntry(r.id, 'latest')),
  );
  if (!run) throw new WorkloadError('The project has no trained weights: train it first.', 'runs');
  const bytes =
    store.readEntry(projectId, checkpointEntry(run.id, which)) ??
    store.readEntry(projectId, checkpointEntry(run.id, 'latest'));
  const state = decodeCheckpoint(bytes as Uint8Array);
  const backend = await selectBackend(options.backend ?? 'auto');
  const here = import.meta.url;
  const module =
    options.workloadModule ??
    new URL(here.endsWith('.ts') ? './projectWorkload.ts' : './projectWorkload.js', here).href;
  const url = /^[a-z]+:/i.test(module) ? module : pathToFileURL(module).href;
  const { createWorkload } = (await import(url)) as { createWorkload: CreateWorkload };
  const workload = await createWorkload(options.workloadOptions ?? projectWorkloadOptions(store, projectId));
  try {
    restoreWeights(workload.model.weights, state.weights);
    const validation = workload.data.validation;
    let source = validation && validation.size > 0 ? validation : workload.data.train;
    let split: EvaluateReport['split'] = source === validation ? 'validation' : 'train';
    let skipped: EvaluateReport['skipped'];
    // The dataset spec as trained (vocabulary and labels built as the run built them).
    const needSpec = options.data !== undefined || doc.task === 'classification' || doc.task === 'tagging';
    const spec = needSpec
      ? (await loadTrainedProject(doc, filesOf(store, projectId))).doc.dataset
      : undefined;
    if (options.data) {
      if (!spec)
        throw new WorkloadError(
          'The project has no dataset, so there is no format to read the file in.',
          'dataset',
        );
      const file = await readProjectFile(spec, options.data);
      const { encoded, errors } = encodeWithSpec(spec, file.rows);
      const first = [...file.errors, ...errors.map((e) => ({ line: e.line ?? 0, message: e.message }))].slice(
        0,
        5,
      );
      if (file.errorCount + errors.length > 0) skipped = { count: file.errorCount + errors.length, first };
      if (encoded.length === 0)
        throw new WorkloadError(
          `No row of the file could be ` +
            `scored${first[0] ? `: line ${first[0].line}: ${first[0].message}` : ''}.`,
          'data',
        );
      source = encodedSource(doc.task, encoded);
      split = 'file';
    }
    const summary = await evaluateSplit(
      workload.model,
      source,
      state.config.batchSize,
      workload.data.task === 'language-model',
    );
    const metrics: Record<string, number | null> = { loss: summary.loss };
    for (const [k, v] of Object.entries(summary.metrics)) metrics[snakeCase(k)] = v;
    if (summary.perplexity !== undefined) metrics.perplexity = summary.perplexity;
    const labels = spec?.labels;
    const confusion =
      labels && (doc.task === 'classification' || doc.task === 'tagging')
        ? await confusionOf(workload.model, source, state.config.batchSize, labels)
        : undefined;
    return {
      run: run.id,
      epoch: state.epoch,
      split,
      examples: source.size,
      backend: backend.label,
      metrics,
      ...(skipped ? { skipped } : {}),
      ...(confusion ? { confusion } : {}),
    };
  } finally {
    workload.model.dispose();
  }
}
