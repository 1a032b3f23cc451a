// main/data's public face: what the host handlers, the CLI and the training service call.
export { importDataset, entryName, EMBED_LIMIT_BYTES, type ImportResult } from './import.js';
export { loadDataset, previewDataset, type ReadEntry, type LoadOptions, type LoadedDataset } from './load.js';
export { previewImport, PREVIEW_BYTES } from './inspect.js';
export { importIntoProject, type DatasetProjectStore } from './project.js';
export { dataHandlers, type DataServiceDeps } from './handlers.js';
export { DataImportError, type RowError } from './errors.js';
export type { ImportProgress } from './scan-file.js';
export type { ImportSource } from './source.js';
// The pure half, re-exported for convenience: split + encode, and batches.
export { buildDataset, type BuiltDataset } from '../../core/data/dataset.js';
export { makeBatches, padBatch, paddingReport, planBatches } from '../../core/data/batching.js';
export { readProjectExamples } from './reader.js';
export { readProjectFile, readProjectInputs, type ProjectFileRows } from './projectFile.js';
