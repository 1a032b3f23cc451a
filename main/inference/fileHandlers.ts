// "Evaluate on a file…" and "Predict a file…" behind the host API: the same functions as
// `rnn-studio eval --data` (main/training/evaluateProject.ts) and `predict --file` (predictFile.ts), on a
// file the user uploads (or a path on the host). Errors become HostFaults that say what is wrong and where.
import type { HostHandlers } from '../../core/api/contract.js';
import { DataImportError, readProjectInputs, type ImportSource } from '../data/index.js';
import { HostFault } from '../host/dispatch.js';
import type { FileAccess } from '../files/access.js';
import type { ProjectStore } from '../project/index.js';
import { evaluateProject } from '../training/evaluateProject.js';
import { WorkloadError } from '../training/workload.js';
import { ensureBackend } from './backend.js';
import { formatPredictions, predictAll } from './predictFile.js';
import { explain, filesOf, predictorOf } from './service.js';
import { loadTrainedProject } from './trainedProject.js';

type FileCalls = Pick<HostHandlers, 'data.evaluate' | 'data.predictFile'>;

/** A path is read only where the studio's file-access policy allows (`access`). */
function sourceOf(
  source: { path: string } | { fileName: string; dataBase64: string },
  access: FileAccess,
): ImportSource {
  return 'path' in source
    ? { path: source.path, access }
    : { fileName: source.fileName, bytes: new Uint8Array(Buffer.from(source.dataBase64, 'base64')) };
}

function fault(error: unknown): never {
  if (error instanceof DataImportError) {
    throw new HostFault(
      'invalid-input',
      error.message,
      error.where.line !== undefined ? `line ${error.where.line}` : (error.where.field ?? 'file'),
    );
  }
  if (error instanceof WorkloadError)
    throw new HostFault('invalid-input', error.message, error.where ?? 'project');
  throw error;
}

const stem = (name: string) => name.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'data';

export function fileHandlers(store: ProjectStore): FileCalls {
  return {
    'data.evaluate': async ({ projectId, source }) => {
      try {
        return await evaluateProject(store, projectId, { data: sourceOf(source, store.access) });
      } catch (error) {
        return fault(error);
      }
    },
    'data.predictFile': async ({ projectId, source, format, column }) => {
      await ensureBackend();
      const from = sourceOf(source, store.access);
      try {
        const trained = await loadTrainedProject(store.doc(projectId), filesOf(store, projectId));
        const dataset = trained.doc.dataset;
        if (!dataset)
          throw new WorkloadError(
            'The project has no dataset, so there is no format to read the file in.',
            'dataset',
          );
        const read = await readProjectInputs(dataset, from, column);
        // This model is made for the one file (the playground's cached one may be replaced meanwhile);
        // its weights are released when the file is done, or every call would keep a model's worth.
        const predictor = predictorOf(trained);
        let predictions;
        try {
          predictions = await explain(() => predictAll(predictor, read.rows));
        } finally {
          predictor.dispose();
        }
        const name = 'path' in source ? source.path : source.fileName;
        return {
          fileName: `${stem(name)}.predictions.${format}`,
          text: formatPredictions(predictions, format),
          rows: predictions.length,
          column: String(Object.values(read.columns)[0]),
          skipped: read.errorCount,
        };
      } catch (error) {
        return fault(error);
      }
    },
  };
}
