// A whole project's diagnostics: the graph checked against its task and against what its dataset says
// (vocabulary size, classes), plus consistency between the project's task and the dataset's.
import { expectedHeadUnits } from '../data/spec.js';
import type { DataFacts } from '../catalog/types.js';
import { analyzeGraph, type GraphAnalysis } from '../graph/validate.js';
import type { ProjectDoc } from './schema.js';

/** What the project's dataset tells the graph validator (only what is known before the data is built). */
export function dataFactsOf(project: ProjectDoc): DataFacts {
  const spec = project.dataset;
  if (!spec) return { task: project.task };
  const facts: DataFacts = { task: project.task };
  if (spec.vocabulary) facts.vocabularySize = spec.vocabulary.length;
  const units = spec.task === project.task ? expectedHeadUnits(spec) : undefined;
  // Regression's default of 1 target is a guess until columns are mapped; classes come only from built data.
  if (units !== undefined && (spec.task !== 'regression' || spec.columns.targets)) facts.headUnits = units;
  return facts;
}

export function analyzeProject(project: ProjectDoc): GraphAnalysis {
  const analysis = analyzeGraph(project.graph, { task: project.task, data: dataFactsOf(project) });
  if (project.dataset && project.dataset.task !== project.task) {
    analysis.diagnostics.unshift({
      severity: 'error',
      code: 'task-mismatch',
      message:
        `The project is a ${project.task} project but its dataset is prepared for ` +
        `${project.dataset.task}. Change one so they agree.`,
      field: 'dataset.task',
    });
    analysis.ok = false;
  }
  return analysis;
}
