// A workload is what a run trains: a model, its data and its training config. The runner imports the
// module named in the RunSpec and calls its `createWorkload`, so the engine process builds the model
// itself (tfjs objects never cross processes).
import type { StudioModel } from '../../core/engine/types.js';
import type { TrainingConfigInput } from '../../core/training/config.js';
import type { TrainingData } from '../../core/training/source.js';

export interface Workload {
  model: StudioModel;
  data: TrainingData;
  /** The project's training settings (RunSpec.config overrides them). */
  config: TrainingConfigInput;
}

export type CreateWorkload = (options: unknown) => Promise<Workload> | Workload;

/** Thrown when a workload cannot be built, with the field or node at fault. */
export class WorkloadError extends Error {
  constructor(
    message: string,
    readonly where?: string,
  ) {
    super(message);
    this.name = 'WorkloadError';
  }
}
