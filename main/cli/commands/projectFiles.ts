// A project file for one command: read as a doc and entries (predict, generate, export), or opened in a
// project store of the command's own (train, eval), which the training side works through.
import { resolve } from 'node:path';
import type { ProjectDoc } from '../../../core/project/index.js';
import { resourcesDir } from '../../host/appInfo.js';
import { defaultDataDir } from '../../host/studioHost.js';
import type { ProjectFiles } from '../../inference/trainedProject.js';
import { ProjectStore, readProjectFile, type ProjectSession } from '../../project/index.js';
import { CliError } from '../command.js';
import { withProjectErrors } from './project-errors.js';

/** A store without autosave (the command saves when it means to), with `file` opened in it. */
export async function openInStore(
  file: string,
  dataDir: string | undefined,
): Promise<{ store: ProjectStore; session: ProjectSession }> {
  const store = new ProjectStore({ dataDir: dataDir ?? defaultDataDir(), resourcesDir, autosaveMs: 0 });
  await store.init();
  try {
    return { store, session: await store.openFile(file) };
  } catch (error) {
    throw new CliError(`Cannot open ${file}: ${(error as Error).message}`);
  }
}

export async function openProjectFiles(file: string): Promise<{ doc: ProjectDoc; files: ProjectFiles }> {
  const { doc, entries } = await withProjectErrors(() => readProjectFile(file));
  return {
    doc,
    files: {
      readEntry: (name) => entries.get(name),
      listEntries: (prefix) => [...entries.keys()].filter((name) => name.startsWith(prefix)),
      path: resolve(file),
    },
  };
}
