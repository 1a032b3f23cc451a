// training.* and runs.*: training sessions (each run in its own engine process) behind the host API.
import type { HostHandlers } from '../../../core/api/contract.js';
import type { TrainingService } from '../../training/service.js';

type TrainingCalls = Pick<
  HostHandlers,
  | 'training.start'
  | 'training.pause'
  | 'training.resume'
  | 'training.stop'
  | 'runs.list'
  | 'runs.history'
  | 'runs.annotate'
>;

const ok = { ok: true as const };

export function trainingHandlers(training: TrainingService): TrainingCalls {
  return {
    'training.start': ({ projectId, options }) =>
      training.start(projectId, {
        ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
        ...(options.backend !== undefined ? { backend: options.backend } : {}),
        ...(options.resume !== undefined ? { resume: options.resume } : {}),
        ...(options.learningRate !== undefined ? { learningRate: options.learningRate } : {}),
        ...(options.runName !== undefined ? { runName: options.runName } : {}),
      }),
    'training.pause': async ({ runId }) => (training.pause(runId), ok),
    'training.resume': async ({ runId }) => (training.resume(runId), ok),
    'training.stop': async ({ runId }) => (training.stop(runId), ok),
    'runs.list': async ({ projectId }) => training.listRuns(projectId),
    'runs.annotate': async ({ projectId, runId, note, tags }) =>
      training.annotateRun(projectId, runId, {
        ...(note !== undefined ? { note } : {}),
        ...(tags !== undefined ? { tags } : {}),
      }),
    'runs.history': async ({ projectId, runId, from, limit }) =>
      from === undefined && limit === undefined
        ? training.history(projectId, runId)
        : training.historyPage(projectId, runId, from ?? 0, limit ?? 100_000),
  };
}
