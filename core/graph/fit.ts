// Sizes a graph to its data once the dataset is built: embeddings to the vocabulary, the head to the
// classes/tags/vocabulary/targets, feature inputs to the feature count. The "Fix" behind the
// vocabulary-mismatch and head-units-mismatch diagnostics, and what the training session applies before
// it compiles a template whose sizes were first guesses.
import type { DataFacts } from '../catalog/types.js';
import type { Graph } from './types.js';

export interface FitChange {
  node: string;
  field: string;
  from: unknown;
  to: number;
}

export function fitGraphToData(graph: Graph, data: DataFacts): { graph: Graph; changes: FitChange[] } {
  const changes: FitChange[] = [];
  const set = (node: Graph['nodes'][number], field: string, to: number | undefined) => {
    if (to === undefined || node.params[field] === to) return node;
    // A binary classifier may keep one sigmoid unit.
    if (field === 'units' && node.params.activation === 'sigmoid' && node.params[field] === 1 && to === 2)
      return node;
    changes.push({ node: node.id, field, from: node.params[field], to });
    return { ...node, params: { ...node.params, [field]: to } };
  };
  const nodes = graph.nodes.map((node) => {
    if (node.kind === 'embedding') return set(node, 'vocabularySize', data.vocabularySize);
    if (node.kind === 'head') return set(node, 'units', data.headUnits);
    if (node.kind === 'input' && node.params.role === 'features') return set(node, 'features', data.features);
    return node;
  });
  return { graph: { nodes, edges: graph.edges }, changes };
}
