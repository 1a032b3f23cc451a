// A project's dataset as the loop's ExampleSources: generate or read the examples, prepare the spec
// (vocabulary, labels) from the training split, encode, and pad batches on demand. The split is the
// dataset's own seeded split, so every run of a project sees the same train/validation/test examples.
import { padBatch } from '../../core/data/batching.js';
import { buildDataset } from '../../core/data/dataset.js';
import type { EncodedExample } from '../../core/data/encode.js';
import type { Example } from '../../core/data/example.js';
import { generateExamples } from '../../core/data/generators/index.js';
import type { DatasetSpec, TaskId } from '../../core/data/spec.js';
import type { ProjectDoc } from '../../core/project/index.js';
import type { ExampleSource, TrainingData } from '../../core/training/source.js';
import { readProjectExamples } from '../data/reader.js';
import { WorkloadError } from './workload.js';

/** Padded batches over encoded examples; `describe` shows the probe example with its tokens. */
export function encodedSource(
  task: TaskId,
  examples: EncodedExample[],
  token?: (id: number) => string,
): ExampleSource {
  return {
    size: examples.length,
    lengths: examples.map((e) => e.length),
    batch: (indices) =>
      padBatch(
        task,
        indices.map((i) => examples[i] as EncodedExample),
      ),
    ...(token
      ? {
          describe: (index: number) => {
            const e = examples[index] as EncodedExample;
            const ids = e.tokens ?? e.source ?? new Int32Array(0);
            return {
              tokens: Array.from(ids, token),
              ...(e.target ? { targetTokens: Array.from(e.target, token) } : {}),
            };
          },
        }
      : {}),
  };
}

export interface ProjectData {
  data: TrainingData;
  /** The spec with vocabulary and labels filled (what the model's embedding and head are sized by). */
  spec: DatasetSpec;
  test: ExampleSource;
}

/** Reads the examples of an embedded or file dataset (main/data's readProjectExamples). */
export type ExampleReader = (
  spec: DatasetSpec,
  files: Record<string, Uint8Array>,
  projectPath: string | null,
) => Promise<Example[]>;

export async function buildProjectData(
  doc: ProjectDoc,
  files: Record<string, Uint8Array>,
  projectPath: string | null,
  readExamples: ExampleReader = readProjectExamples,
): Promise<ProjectData> {
  const raw = doc.dataset;
  if (!raw) throw new WorkloadError('The project has no dataset: choose data before training.', 'dataset');
  let examples: Example[];
  try {
    examples =
      raw.source.kind === 'generator'
        ? generateExamples(raw.source)
        : await readExamples(raw, files, projectPath);
  } catch (error) {
    throw new WorkloadError(
      `The dataset could not be read: ${error instanceof Error ? error.message : String(error)}`,
      'dataset.source',
    );
  }
  if (examples.length === 0) throw new WorkloadError('The dataset has no examples.', 'dataset');
  let built;
  try {
    built = buildDataset(raw, examples); // the same split and encoding the data preview shows
  } catch (error) {
    throw new WorkloadError(
      `The dataset could not be prepared: ${error instanceof Error ? error.message : String(error)}`,
      'dataset',
    );
  }
  if (built.train.length === 0)
    throw new WorkloadError(
      'The training split is empty: lower the validation and test fractions.',
      'dataset.split',
    );
  const vocabulary = built.spec.vocabulary ?? [];
  const token = (id: number) => vocabulary[id] ?? String(id);
  return {
    spec: built.spec,
    data: {
      task: doc.task,
      train: encodedSource(doc.task, built.train, token),
      validation: encodedSource(doc.task, built.validation, token),
    },
    test: encodedSource(doc.task, built.test, token),
  };
}
