// What `training.start` checks before it starts an engine process, so an impossible run is refused at
// once with the reason and the field (a 4xx from the web host), instead of starting and failing later:
// settings the schema refuses, a project without data (or whose data is gone), a graph with errors.
// The engine process checks again (it builds the real data and model); these are the cheap, certain ones.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fitGraphToData } from '../../core/graph/fit.js';
import { analyzeProject, dataFactsOf, type ProjectDoc } from '../../core/project/index.js';
import { parseTrainingConfig, type TrainingConfigInput } from '../../core/training/config.js';
import { mergeConfig } from './configOverrides.js';

export interface StartProblem {
  message: string;
  where: string;
}

/**
 * The first reason the project cannot train as asked, or undefined. `projectWorkload`: a real project run.
 */
export function startProblem(
  doc: ProjectDoc,
  overrides: TrainingConfigInput,
  options: { projectWorkload: boolean; projectPath: string | null; hasEntry: (name: string) => boolean },
): StartProblem | undefined {
  // A test or script workload brings its own settings: only the overrides can be checked here.
  const config = parseTrainingConfig(mergeConfig(options.projectWorkload ? doc.training : {}, overrides));
  if (!config.ok)
    return {
      message: `The training settings are not valid: ${config.message}.`,
      where: `training.${config.field}`,
    };
  if (!options.projectWorkload) return undefined;
  const data = doc.dataset;
  if (!data)
    return {
      message: 'The project has no dataset: import a data file in the Data tab before training.',
      where: 'dataset',
    };
  if (data.source.kind === 'embedded' && !options.hasEntry(data.source.entry)) {
    return {
      message:
        `The project's data (${data.source.entry}) is missing from the project file: ` +
        `import the data again.`,
      where: 'dataset.source',
    };
  }
  if (data.source.kind === 'file') {
    const path =
      isAbsolute(data.source.path) || !options.projectPath
        ? data.source.path
        : resolve(options.projectPath, '..', data.source.path);
    if (!existsSync(path))
      return {
        message:
          `The data file ${data.source.path} is not there any more: ` +
          `put it back or import the data again.`,
        where: 'dataset.source.path',
      };
  }
  // The graph as training builds it: sized to the data first, as the engine process does.
  const { graph } = fitGraphToData(doc.graph, dataFactsOf(doc));
  const error = analyzeProject({ ...doc, graph }).diagnostics.find((d) => d.severity === 'error');
  if (error) {
    const where = error.node ? `graph.${error.node}` : (error.field ?? 'graph');
    return { message: `The model cannot train yet: ${error.message}`, where };
  }
  return undefined;
}
