// Putting an imported dataset into an open project: the bytes into the zip (when embedded), the spec
// into project.json, and the sizes the data decides (embedding vocabulary, head units, feature count) into
// the graph, as training would apply them anyway: otherwise `validate` reports a mismatch that `train`
// silently fixes, and the canvas shows a template's first guess as the model's size. Written against the few
// ProjectStore methods it needs, so the CLI and the host share it and tests can pass a stand-in.
import type { ImportOptions } from '../../core/data/import-options.js';
import { fitGraphToData, type FitChange } from '../../core/graph/fit.js';
import { dataFactsOf, type ProjectDoc } from '../../core/project/index.js';
import { readBounded } from '../files/read.js';
import { DEFAULT_LIMITS } from '../project/limits.js';
import { TrainingConfigSchema } from '../../core/training/config.js';
import { sizeTraining, trainingExamples, trainingForData } from '../../core/training/sizing.js';
import { importDataset, type ImportResult } from './import.js';

/** How the import sized training: epochs (the step budget at this batch size) and early-stopping patience. */
export interface TrainingSized {
  epochs: number;
  patience: number;
  steps: number;
  batchSize: number;
}
import type { ImportProgress } from './scan-file.js';
import type { ImportSource } from './source.js';

export interface DatasetProjectStore {
  doc(id: string): ProjectDoc;
  update(id: string, raw: unknown): unknown;
  writeEntries(id: string, entries: Record<string, Uint8Array | null>): void;
}

/** Imports `source` as the project's dataset. Returns the import result without the embedded bytes. */
export async function importIntoProject(
  store: DatasetProjectStore,
  projectId: string,
  source: ImportSource,
  options: ImportOptions | Record<string, unknown> = {},
  onProgress?: (p: ImportProgress) => void,
  signal?: AbortSignal,
): Promise<Omit<ImportResult, 'embed'> & { entry?: string; fitted: FitChange[]; training: TrainingSized }> {
  const before = store.doc(projectId);
  // Without a task of its own the import is for the project's task: a file that task cannot use is refused
  // with the reason, rather than imported as something else and leaving the project unable to train.
  const withTask =
    typeof (options as { task?: unknown }).task === 'string' ? options : { ...options, task: before.task };
  const result = await importDataset(source, withTask, onProgress, signal);
  const entries: Record<string, Uint8Array | null> = {};
  const old = before.dataset?.source;
  // the replaced data
  if (old?.kind === 'embedded' && old.entry !== result.embed?.entry) entries[old.entry] = null;
  // The path was checked by the import; the read is bounded by what a project entry may hold anyway.
  if (result.embed)
    entries[result.embed.entry] =
      result.embed.bytes ?? (await readBounded(result.embed.path!, DEFAULT_LIMITS.maxEntryBytes));
  if (Object.keys(entries).length > 0) store.writeEntries(projectId, entries);
  // The task the user chose for the data becomes the project's; the graph checks then say what to adapt.
  const explicitTask = typeof (options as { task?: unknown }).task === 'string';
  const current = store.doc(projectId);
  // Training sized to the data: epochs for the task's step budget, early stopping (core/training/sizing.ts).
  // defaults filled for a partial document
  const previous = TrainingConfigSchema.parse(current.training ?? {});
  const training = trainingForData(result.spec.task, result.spec.examples ?? 0, result.spec.split, previous);
  const sized = sizeTraining(
    result.spec.task,
    trainingExamples(result.spec.examples ?? 0, result.spec.split),
    training.batchSize,
  );
  const withData = {
    ...current,
    dataset: result.spec,
    training,
    ...(explicitTask ? { task: result.spec.task } : {}),
  };
  const { graph, changes: fitted } = fitGraphToData(withData.graph, dataFactsOf(withData));
  store.update(projectId, { ...withData, graph });
  const { embed, ...rest } = result;
  const trainingSized = {
    epochs: sized.epochs,
    patience: sized.patience,
    steps: sized.steps,
    batchSize: training.batchSize,
  };
  return embed
    ? { ...rest, entry: embed.entry, fitted, training: trainingSized }
    : { ...rest, fitted, training: trainingSized };
}
