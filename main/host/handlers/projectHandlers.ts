// project.* and templates.*: the project store behind the host API.
import type { HostHandlers } from '../../../core/api/contract.js';
import type { ProjectStore } from '../../project/index.js';
import type { TrainingService } from '../../training/service.js';
import { HostFault } from '../dispatch.js';

type ProjectCalls = Pick<
  HostHandlers,
  | 'templates.list'
  | 'project.create'
  | 'project.open'
  | 'project.import'
  | 'project.get'
  | 'project.update'
  | 'project.save'
  | 'project.download'
  | 'project.close'
  | 'project.recent'
  | 'project.recoverable'
  | 'project.recover'
  | 'project.discardRecovery'
  | 'project.suggestPath'
  | 'project.summary'
>;

/** Base64 from the renderer, checked: a browser upload is untrusted input like any other. */
export function decodeUpload(dataBase64: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(dataBase64))
    throw new HostFault('invalid-request', `${what} is not valid base64.`, 'dataBase64');
  return new Uint8Array(Buffer.from(dataBase64, 'base64'));
}

export interface ProjectHandlerOptions {
  /**
   * The training service: a project a run trains on is not closed, and one whose run has just ended is
   * closed once that run's engine process has written its final record and exited.
   */
  training?: Pick<TrainingService, 'runOf' | 'settled'>;
}

// Paths name files on the machine running the studio (the web host's machine when served): whoever holds
// the token may open and save projects there, as they could from its shell.
export function projectHandlers(store: ProjectStore, options: ProjectHandlerOptions = {}): ProjectCalls {
  return {
    'templates.list': () => store.templates(),
    'project.create': ({ templateId }) => store.create(templateId),
    'project.open': async ({ path }) => store.openFile(path),
    'project.import': async ({ fileName, dataBase64 }) =>
      store.importBytes(fileName, decodeUpload(dataBase64, fileName)),
    'project.get': async ({ projectId }) => store.get(projectId),
    // The run history is written by training sessions on this side; an edit from the UI (which may hold an
    // older copy while a run trains) never overwrites it.
    'project.update': async ({ projectId, doc }) =>
      store.update(projectId, { ...doc, runs: store.doc(projectId).runs }),
    'project.save': async ({ projectId, path }) => {
      // Only ever write project files: a mistyped or hostile path must not overwrite anything else.
      if (path !== undefined && !path.toLowerCase().endsWith('.rnnproj')) {
        throw new HostFault(
          'invalid-input',
          `Projects are saved as .rnnproj files; "${path}" is not one.`,
          'path',
        );
      }
      return store.save(projectId, path);
    },
    'project.download': async ({ projectId }) => {
      const session = store.get(projectId);
      const fileName = `${session.name.replace(/[^\w.-]+/g, '-').slice(0, 100) || 'project'}.rnnproj`;
      return { fileName, dataBase64: Buffer.from(store.toBytes(projectId)).toString('base64') };
    },
    'project.close': async ({ projectId }) => {
      // Closing deletes the autosave, and a run records its checkpoints and history into the open project:
      // closing under a training run would drop what it learned without a word. So it is refused, and the
      // user stops the run (recorded as stopped, its checkpoint written) and decides whether to save it.
      // Stopping it here instead would end hours of training as a side effect of opening another project.
      const runId = options.training?.runOf(projectId);
      if (runId) {
        throw new HostFault(
          'invalid-input',
          `"${store.get(projectId).name}" is still training (run ${runId}): stop the run first, then ` +
            'save the project to keep the run, or close it.',
          'projectId',
        );
      }
      await options.training?.settled(projectId);
      await store.close(projectId);
      return { ok: true as const };
    },
    'project.recent': async () => store.recent(),
    'project.recoverable': () => store.recoverable(),
    'project.recover': ({ id }) => store.recover(id),
    'project.discardRecovery': async ({ id }) => {
      await store.discardRecovery(id);
      return { ok: true as const };
    },
    'project.suggestPath': async ({ projectId }) => store.suggestPath(projectId),
    'project.summary': async ({ projectId }) => store.summary(projectId),
  };
}
