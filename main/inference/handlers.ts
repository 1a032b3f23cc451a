// playground.* and export.* behind the host API.
import type { HostHandlers } from '../../core/api/contract.js';
import { exportPreview, writeProjectExport } from '../export/index.js';
import { FileAccessError } from '../files/access.js';
import { createInferenceService, filesOf, InferenceFault, type ProjectSource } from './service.js';

type InferenceCalls = Pick<
  HostHandlers,
  'playground.predict' | 'playground.generate' | 'playground.inside' | 'export.preview' | 'export.write'
>;

export function inferenceHandlers(projects: ProjectSource): InferenceCalls {
  const inference = createInferenceService(projects);
  return {
    'playground.predict': async ({ projectId, input }) => ({
      ...(await inference.predict(projectId, input)),
    }),
    'playground.inside': async ({ projectId, input }) => inference.inside(projectId, input),
    'playground.generate': async ({ projectId, seed, length, temperature, topK }) => ({
      ...(await inference.generate(projectId, {
        seed,
        length,
        temperature,
        ...(topK !== undefined ? { topK } : {}),
      })),
    }),
    'export.preview': async ({ projectId, format }) => exportPreview(projects.doc(projectId), format),
    'export.write': async ({ projectId, format, outDir }) => {
      try {
        return {
          files: await writeProjectExport(
            projects.doc(projectId),
            filesOf(projects, projectId),
            format,
            outDir,
          ),
        };
      } catch (error) {
        if (error instanceof InferenceFault || error instanceof FileAccessError) throw error;
        throw new InferenceFault('invalid-input', (error as Error).message, 'export');
      }
    },
  };
}
