// The host API's data calls (`data.inspect`, `data.import`, `data.preview`), for main/host/services.ts to
// merge into its handlers. Import errors become HostFaults that say what is wrong and where (line, column,
// path); progress goes out as `progress` events the UI shows as a bar.
import type { HostHandlers } from '../../core/api/contract.js';
import { HostFault } from '../host/dispatch.js';
import type { EventHub } from '../host/eventHub.js';
import type { FileAccess } from '../files/access.js';
import { DataImportError } from './errors.js';
import { previewImport } from './inspect.js';
import { previewDataset, type ReadEntry } from './load.js';
import { importIntoProject, type DatasetProjectStore } from './project.js';

export interface DataServiceDeps {
  store: DatasetProjectStore & { readEntry(id: string, name: string): Uint8Array | undefined };
  events?: EventHub;
  /** Folder of a project's file (for datasets referenced by relative path); undefined when unsaved. */
  projectDir?(projectId: string): string | undefined;
  /** Which paths an import or a dataset saved by path may read (main/files); any regular file when absent. */
  access?: FileAccess;
}

function fault(error: unknown): never {
  if (error instanceof DataImportError) {
    const code = error.code === 'not-found' || error.code === 'moved' ? 'not-found' : 'invalid-input';
    const w = error.where;
    const where = w.line !== undefined ? `line ${w.line}` : (w.field ?? w.path);
    throw new HostFault(code, error.message, where);
  }
  throw error;
}

export function dataHandlers(
  deps: DataServiceDeps,
): Pick<HostHandlers, 'data.import' | 'data.inspect' | 'data.preview' | 'progress.cancel'> {
  // Imports under way, by the progress id the UI sees, so the user can cancel one.
  const running = new Map<string, AbortController>();
  return {
    'data.import': async ({ projectId, source, options }) => {
      const id = `import-${projectId}`;
      const label = 'path' in source ? `Importing ${source.path}` : `Importing ${source.fileName}`;
      const from =
        'path' in source
          ? { path: source.path, ...(deps.access ? { access: deps.access } : {}) }
          : { fileName: source.fileName, bytes: new Uint8Array(Buffer.from(source.dataBase64, 'base64')) };
      const controller = new AbortController();
      running.get(id)?.abort();
      running.set(id, controller);
      try {
        const result = await importIntoProject(
          deps.store,
          projectId,
          from,
          options,
          (p) => deps.events?.emit('progress', { id, label, fraction: p.fraction }),
          controller.signal,
        );
        return { ...result, rows: result.preview.rows, columns: result.preview.columns };
      } catch (e) {
        if (controller.signal.aborted)
          throw new HostFault(
            'invalid-input',
            'The import was cancelled; the project keeps its previous dataset.',
            'data.import',
          );
        return fault(e);
      } finally {
        if (running.get(id) === controller) running.delete(id);
      }
    },
    'data.inspect': async ({ projectId, source, options, fileSize }) => {
      const from =
        'path' in source
          ? { path: source.path, ...(deps.access ? { access: deps.access } : {}) }
          : { fileName: source.fileName, bytes: new Uint8Array(Buffer.from(source.dataBase64, 'base64')) };
      // Without a task of its own the preview is for the project's task, as the import will be.
      const withTask =
        typeof options.task === 'string' ? options : { ...options, task: deps.store.doc(projectId).task };
      try {
        return await previewImport(from, withTask, fileSize);
      } catch (e) {
        return fault(e);
      }
    },
    'progress.cancel': async ({ id }) => {
      const controller = running.get(id);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },
    'data.preview': async ({ projectId }) => {
      const spec = deps.store.doc(projectId).dataset;
      if (!spec) {
        const message = 'No dataset yet: import a file or pick a template.';
        return { spec: null, stats: null, rows: [], warnings: [], message };
      }
      const readEntry: ReadEntry = (name) => deps.store.readEntry(projectId, name);
      try {
        const dir = deps.projectDir?.(projectId);
        const result = await previewDataset(spec, readEntry, {
          ...(dir ? { projectDir: dir } : {}),
          ...(deps.access ? { access: deps.access } : {}),
        });
        return { spec: result.spec, stats: result.stats, rows: result.preview, warnings: result.warnings };
      } catch (e) {
        return fault(e);
      }
    },
  };
}
