// A project file read for predict, generate and export: its doc, and its entries as ProjectFiles.
import { resolve } from 'node:path';
import type { ProjectDoc } from '../../../core/project/index.js';
import type { ProjectFiles } from '../../inference/trainedProject.js';
import { readProjectFile } from '../../project/index.js';
import { withProjectErrors } from './project-errors.js';

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
