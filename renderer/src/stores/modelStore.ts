// What the studio knows about the model being drawn: shapes, parameter counts and problems of every block,
// recomputed on each edit without a round trip, plus the project-level problems the host's validator
// reports (task vs head, vocabulary vs dataset, training settings).
import { defineStore } from 'pinia';
import { computed } from 'vue';
import type { Diagnostic } from '../../../core/graph/types.js';
import type { DataFacts } from '../../../core/catalog/types.js';
import { analyse } from '../model/analysis.js';
import { useProjectStore } from './projectStore.js';

function dataFacts(doc: Record<string, unknown> | null): DataFacts {
  const dataset = (doc?.dataset ?? {}) as { vocabulary?: unknown[]; labels?: unknown[] };
  const task = typeof doc?.task === 'string' ? doc.task : undefined;
  return {
    ...(task ? { task } : {}),
    ...(Array.isArray(dataset.vocabulary) ? { vocabularySize: dataset.vocabulary.length } : {}),
    ...(Array.isArray(dataset.labels) ? { headUnits: dataset.labels.length } : {}),
  };
}

const key = (d: Diagnostic) => `${d.code}|${d.node ?? ''}|${d.port ?? ''}|${d.field ?? ''}`;

export const useModelStore = defineStore('model', () => {
  const project = useProjectStore();

  const analysis = computed(() => analyse(project.doc?.graph ?? { nodes: [], edges: [] }, dataFacts(project.doc)));

  /** Local problems first (always current), then the host's that the local pass does not know about. */
  const problems = computed<Diagnostic[]>(() => {
    const local = analysis.value.diagnostics;
    const seen = new Set(local.map(key));
    const nodes = new Set(project.doc?.graph.nodes.map((n) => n.id) ?? []);
    const fromHost = project.hostDiagnostics.filter((d) => !seen.has(key(d)) && (!d.node || nodes.has(d.node)));
    return [...local, ...fromHost];
  });

  const totalParams = computed(() => Object.values(analysis.value.paramCounts).reduce((a, b) => a + b, 0));

  return { analysis, problems, totalParams };
});
