// The example reader the training workload takes (main/training/projectData.ts, `ExampleReader`):
// a saved dataset's examples from the project zip or its path, in file order. A language model on one
// long document comes back as a single example; buildDataset (core/data/dataset.ts) cuts it into
// contiguous next-token windows and splits those.
import { dirname } from 'node:path';
import type { Example } from '../../core/data/example.js';
import type { DatasetSpec } from '../../core/data/spec.js';
import type { FileAccess } from '../files/access.js';
import { loadDataset } from './load.js';

export async function readProjectExamples(
  spec: DatasetSpec,
  files: Record<string, Uint8Array>,
  projectPath: string | null,
  access?: FileAccess,
): Promise<Example[]> {
  const loaded = await loadDataset(spec, (name) => files[name], {
    ...(projectPath ? { projectDir: dirname(projectPath) } : {}),
    ...(access ? { access } : {}),
  });
  return loaded.examples;
}
