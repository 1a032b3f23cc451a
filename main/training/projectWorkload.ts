// The workload of a real run: the project's dataset (projectData.ts) and its graph compiled by the engine
// (core/engine/compile), sized to the built data first (fitGraphToData). Runs inside the engine process.
import type { StudioModel } from '../../core/engine/types.js';
import { fitGraphToData } from '../../core/graph/fit.js';
import type { Graph } from '../../core/graph/types.js';
import { dataFactsOf, type ProjectDoc } from '../../core/project/index.js';
import { buildProjectData } from './projectData.js';
import { WorkloadError, type Workload } from './workload.js';

export interface ProjectWorkloadOptions {
  doc: ProjectDoc;
  files: Record<string, Uint8Array>;
  projectPath: string | null;
}

/** The engine's compiler, loaded by name so this module builds before (and without) it. */
type Compile = (graph: Graph, options: { task: ProjectDoc['task']; seed: number }) => StudioModel | Promise<StudioModel>;

async function loadCompiler(): Promise<Compile> {
  const specifier = '../../core/engine/compile.js';
  let mod: Record<string, unknown>;
  try {
    mod = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new WorkloadError(`The engine's compiler is not available in this build: ${error instanceof Error ? error.message : String(error)}`, 'engine');
  }
  const compile = (mod.compileModel ?? mod.compileGraph ?? mod.compile) as Compile | undefined;
  if (typeof compile !== 'function') throw new WorkloadError('core/engine/compile exports no compileModel.', 'engine');
  return compile;
}

export async function createWorkload(options: unknown): Promise<Workload> {
  const { doc, files, projectPath } = options as ProjectWorkloadOptions;
  const built = await buildProjectData(doc, files, projectPath);
  const featureSize = (() => {
    const batch = built.data.train.batch([0]);
    return batch.features?.shape[2];
  })();
  const facts = { ...dataFactsOf({ ...doc, dataset: built.spec }), ...(featureSize ? { features: featureSize } : {}) };
  const { graph } = fitGraphToData(doc.graph, facts);
  const compile = await loadCompiler();
  const model = await compile(graph, { task: doc.task, seed: doc.training.seed });
  return { model, data: built.data, config: doc.training };
}
