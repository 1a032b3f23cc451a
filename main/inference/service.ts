// Inference behind the host API and the playground: a project's trained model, cached per project and
// run so the playground answers each keystroke without reloading. Errors carry the host API's codes.
import type { InsideResult } from '../../core/api/playground.js';
import type { ProjectStore } from '../project/index.js';
import { ensureBackend } from './backend.js';
import {
  createPredictor,
  InferenceError,
  type GenerateOptions,
  type PredictOptions,
  type Predictor,
} from './predictor.js';
import type { GenerateResult, PredictResult } from './results.js';
import { loadTrainedProject, type ProjectFiles, type TrainedProject } from './trainedProject.js';
import { NO_WEIGHTS } from './trainedWeights.js';

/** What inference needs of the project store. */
export type ProjectSource = Pick<ProjectStore, 'doc' | 'readEntry' | 'listEntries' | 'get'> &
  Partial<Pick<ProjectStore, 'access'>>;

/** An inference failure as the host API reports it: what is wrong, a code and where. */
export class InferenceFault extends Error {
  constructor(
    readonly code: 'invalid-input' | 'not-found' | 'internal',
    message: string,
    readonly where?: string,
  ) {
    super(message);
    this.name = 'InferenceFault';
  }
}

export function filesOf(projects: ProjectSource, projectId: string): ProjectFiles {
  return {
    readEntry: (name) => projects.readEntry(projectId, name),
    listEntries: (prefix) => projects.listEntries(projectId, prefix),
    path: projects.get(projectId).path ?? null,
    ...(projects.access ? { access: projects.access } : {}),
  };
}

/** A predictor for a trained project; InferenceFault when it has no trained weights. */
export function predictorOf(trained: TrainedProject): Predictor {
  if (!trained.weights) throw new InferenceFault('invalid-input', NO_WEIGHTS, 'runs');
  const weights = trained.weights;
  return explain(() => createPredictor(trained.doc, weights));
}

/** Turns the user's mistakes into InferenceFaults (shown as they are); anything else is a bug. */
export function explain<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof InferenceFault) throw error;
    if (error instanceof InferenceError)
      throw new InferenceFault('invalid-input', error.message, error.field);
    const message = error instanceof Error ? error.message : String(error);
    // Plan and weight checks say what to do (fix the graph, train again).
    if (/train|graph|block|weight/i.test(message))
      throw new InferenceFault('invalid-input', message, 'graph');
    throw error;
  }
}

export interface InferenceService {
  predict(projectId: string, input: string, options?: PredictOptions): Promise<PredictResult>;
  generate(projectId: string, options: GenerateOptions): Promise<GenerateResult>;
  inside(projectId: string, input: string): Promise<InsideResult>;
}

export function createInferenceService(projects: ProjectSource): InferenceService {
  const cache = new Map<string, { key: string; predictor: Promise<Predictor> }>();
  const predictor = (projectId: string): Promise<Predictor> => {
    const doc = projects.doc(projectId);
    // A new checkpoint or an edited graph or dataset invalidates the cached model.
    const key = JSON.stringify([doc.runs.map((r) => [r.id, r.epochs, r.status]), doc.graph, doc.dataset]);
    const hit = cache.get(projectId);
    if (hit && hit.key === key) return hit.predictor;
    // The replaced model's weights are released once it is no longer the cached one.
    if (hit) void hit.predictor.then((old) => old.dispose()).catch(() => {});
    const made = ensureBackend()
      .then(() => loadTrainedProject(doc, filesOf(projects, projectId)))
      .then(predictorOf);
    made.catch(() => cache.delete(projectId));
    cache.set(projectId, { key, predictor: made });
    return made;
  };
  return {
    predict: async (projectId, input, options) => {
      const p = await predictor(projectId);
      return explain(() => p.predict(input, options));
    },
    generate: async (projectId, options) => {
      const p = await predictor(projectId);
      return explain(() => p.generate(options));
    },
    inside: async (projectId, input) => {
      const p = await predictor(projectId);
      return explain(() => p.inside(input));
    },
  };
}
