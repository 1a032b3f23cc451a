// The workload of a real run: the project's dataset (projectData.ts) and its graph compiled by the engine
// (core/engine/compile), sized to the built data first (fitGraphToData). Runs inside the engine process.
import { compileGraph, CompileError } from '../../core/engine/compile.js';
import { fitGraphToData } from '../../core/graph/fit.js';
import { dataFactsOf, type ProjectDoc } from '../../core/project/index.js';
import { readProjectExamples } from '../data/reader.js';
import { policyFor } from '../files/access.js';
import { buildProjectData } from './projectData.js';
import { WorkloadError, type Workload } from './workload.js';

export interface ProjectWorkloadOptions {
  doc: ProjectDoc;
  files: Record<string, Uint8Array>;
  projectPath: string | null;
  /** The web host's workspace folders: a dataset saved by path is read only from there (main/files). */
  workspace?: string[];
}

export async function createWorkload(options: unknown): Promise<Workload> {
  const { doc, files, projectPath, workspace } = options as ProjectWorkloadOptions;
  const access = policyFor(workspace);
  const built = await buildProjectData(doc, files, projectPath, (spec, entries, path) =>
    readProjectExamples(spec, entries, path, access),
  );
  const featureSize = built.data.train.batch([0]).features?.shape[2];
  const facts = {
    ...dataFactsOf({ ...doc, dataset: built.spec }),
    ...(featureSize ? { features: featureSize } : {}),
  };
  const { graph } = fitGraphToData(doc.graph, facts);
  try {
    const model = compileGraph(graph, { task: doc.task, data: facts, seed: doc.training.seed });
    return { model, data: built.data, config: doc.training };
  } catch (error) {
    if (error instanceof CompileError)
      throw new WorkloadError(
        error.message,
        error.problems[0]?.node ? `graph.${error.problems[0].node}` : 'graph',
      );
    throw error;
  }
}
