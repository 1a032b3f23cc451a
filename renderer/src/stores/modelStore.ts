// What the studio knows about the model being drawn: shapes, parameter counts and problems of every block,
// recomputed on each edit without a round trip, plus the project-level problems the host's validator
// reports (task vs head, vocabulary vs dataset, training settings).
import { defineStore } from 'pinia';
import { computed } from 'vue';
import type { Diagnostic } from '../../../core/graph/types.js';
import type { DataFacts } from '../../../core/catalog/types.js';
import { analyse } from '../model/analysis.js';
import type { ProjectDoc } from '../model/doc.js';
import { dataFactsOf } from '../../../core/project/validate.js';
import type { ProjectDoc as CoreProjectDoc } from '../../../core/project/schema.js';
import { useProjectStore } from './projectStore.js';

/** What the dataset tells the validator (vocabulary size, classes), as the host computes it. */
function dataFacts(doc: ProjectDoc | null): DataFacts {
  if (!doc) return {};
  try {
    return dataFactsOf(doc as unknown as CoreProjectDoc);
  } catch {
    // a half-formed dataset: check the graph alone
    return typeof doc.task === 'string' ? { task: doc.task } : {};
  }
}

const key = (d: Diagnostic) => `${d.code}|${d.node ?? ''}|${d.port ?? ''}|${d.field ?? ''}`;

export const useModelStore = defineStore('model', () => {
  const project = useProjectStore();

  const facts = computed(() => dataFacts(project.doc));
  const analysis = computed(() => analyse(project.doc?.graph ?? { nodes: [], edges: [] }, facts.value));

  /** Local problems first (always current, same validator as the host), then the host's project-level ones
   *  (dataset vs task) that a graph pass cannot see; the host's node problems may be a sync behind. */
  const problems = computed<Diagnostic[]>(() => {
    const local = analysis.value.diagnostics;
    const seen = new Set(local.map(key));
    const fromHost = project.hostDiagnostics.filter((d) => !d.node && !seen.has(key(d)));
    return [...local, ...fromHost];
  });

  const totalParams = computed(() => Object.values(analysis.value.paramCounts).reduce((a, b) => a + b, 0));

  return { analysis, problems, totalParams, dataFacts: facts };
});
