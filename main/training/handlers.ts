// The training calls of the host API (core/api/contract.ts), answered by a TrainingService, and its
// events forwarded as `training.event`. The host's services add these with one line:
//   Object.assign(handlers, trainingHandlers(service)); connectTrainingEvents(service, hub);
import type { HostHandlers } from '../../core/api/contract.js';
import type { EventHub } from '../host/eventHub.js';
import { HostFault } from '../host/dispatch.js';
import { TrainingError, type TrainingService } from './service.js';
import { WorkloadError } from './workload.js';

type TrainingCalls = 'training.start' | 'training.pause' | 'training.resume' | 'training.stop' | 'runs.list' | 'runs.history';

/** A service error as the UI shows it: what, and where (field or run). */
function fault(error: unknown): never {
  if (error instanceof TrainingError) throw new HostFault(error.code, error.message, error.where);
  if (error instanceof WorkloadError) throw new HostFault('invalid-input', error.message, error.where);
  throw error; // ProjectError and the rest: dispatch maps them
}

async function guard<T>(f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (error) {
    return fault(error);
  }
}

export function trainingHandlers(service: TrainingService): Pick<HostHandlers, TrainingCalls> {
  const ok = { ok: true as const };
  return {
    'training.start': ({ projectId, options }) =>
      guard(() =>
        service.start(projectId, {
          ...(options.epochs ? { epochs: options.epochs } : {}),
          ...(options.backend ? { backend: options.backend } : {}),
          ...(options.resume ? { resume: options.resume } : {}),
          ...(options.learningRate ? { learningRate: options.learningRate } : {}),
          ...(options.runName ? { runName: options.runName } : {}),
        }),
      ),
    'training.pause': ({ runId }) => guard(() => (service.pause(runId), ok)),
    'training.resume': ({ runId }) => guard(() => (service.resume(runId), ok)),
    'training.stop': ({ runId }) => guard(() => (service.stop(runId), ok)),
    'runs.list': ({ projectId }) => guard(() => service.listRuns(projectId) as unknown as Record<string, unknown>[]),
    'runs.history': ({ projectId, runId }) => guard(() => service.history(projectId, runId) as unknown as Record<string, unknown>[]),
  };
}

/** Forward every run's telemetry to the UI as `training.event`. Returns how to stop. */
export function connectTrainingEvents(service: TrainingService, hub: EventHub): () => void {
  return service.onEvent(({ runId, projectId, event }) => hub.emit('training.event', { runId, projectId, event: event as unknown as Record<string, unknown> }));
}
