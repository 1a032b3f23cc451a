// A project as it was trained: the dataset spec with its vocabulary and labels (built from the training
// split exactly as a run builds it), the graph fitted to that data (fitGraphToData, as the training
// workload does), the trained weights, and the encoded training examples (for the PyTorch export).
import { buildDataset } from '../../core/data/dataset.js';
import type { EncodedExample } from '../../core/data/encode.js';
import type { Example } from '../../core/data/example.js';
import { generateExamples } from '../../core/data/generators/index.js';
import { fitGraphToData } from '../../core/graph/fit.js';
import { dataFactsOf, type ProjectDoc } from '../../core/project/index.js';
import { readProjectExamples } from '../data/reader.js';
import type { WeightValues } from '../export/weights.js';
import type { FileAccess } from '../files/access.js';
import { readTrainedWeights, type OptimizerMemory } from './trainedWeights.js';

export interface TrainedProject {
  /** The project with dataset vocabulary/labels filled and the graph sized to them. */
  doc: ProjectDoc;
  /** Absent when the project has not been trained. */
  weights?: WeightValues;
  run?: string;
  /** The optimizer's memory at that checkpoint (PyTorch's train.py continues from it). */
  optimizer?: OptimizerMemory;
  /** Encoded training split; empty when the project has no readable dataset. */
  examples: EncodedExample[];
}

export interface ProjectFiles {
  /** A zip entry of the project (checkpoints/…, data/…). */
  readEntry(name: string): Uint8Array | undefined;
  /** Entry names under a folder (data/ holds embedded datasets). */
  listEntries(prefix: string): string[];
  /** Where the project file lives (relative dataset paths), or null. */
  path: string | null;
  /** Which paths a dataset saved by path may name (main/files); any regular file when absent. */
  access?: FileAccess;
}

export async function loadTrainedProject(
  doc: ProjectDoc,
  files: ProjectFiles,
  options: { examples?: boolean } = {},
): Promise<TrainedProject> {
  const trained = readTrainedWeights(doc, (name) => files.readEntry(name));
  let dataset = doc.dataset;
  let examples: EncodedExample[] = [];
  const needData = dataset && (!dataset.vocabulary || (options.examples ?? false));
  if (dataset && needData) {
    const entries: Record<string, Uint8Array> = {};
    for (const name of files.listEntries('data/')) {
      const bytes = files.readEntry(name);
      if (bytes) entries[name] = bytes;
    }
    const raw: Example[] =
      dataset.source.kind === 'generator'
        ? generateExamples(dataset.source)
        : await readProjectExamples(dataset, entries, files.path, files.access);
    const built = buildDataset(dataset, raw);
    dataset = built.spec;
    examples = built.train;
  }
  let fitted: ProjectDoc = dataset ? { ...doc, dataset } : doc;
  if (dataset) fitted = { ...fitted, graph: fitGraphToData(doc.graph, dataFactsOf(fitted)).graph };
  return {
    doc: fitted,
    examples,
    ...(trained ? { weights: trained.weights, run: trained.run, optimizer: trained.optimizer } : {}),
  };
}
