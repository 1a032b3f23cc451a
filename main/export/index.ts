// Every export format in one explicit list, the code preview, and writing a project's export to a folder.
import { serializeArchitecture, type ProjectDoc } from '../../core/project/index.js';
import { loadTrainedProject, type ProjectFiles } from '../inference/trainedProject.js';
import { exportPytorch } from './pytorch/index.js';
import { exportTfjs } from './tfjs/index.js';
import type { ExportFile, ExportFormat, ExportInput } from './types.js';
import { writeExport } from './write.js';

export interface Exporter {
  format: ExportFormat;
  title: string;
  /** Whether the export carries trained weights (so writing it needs a trained project). */
  needsWeights: boolean;
  files(input: ExportInput): ExportFile[];
}

/** The architecture alone (graph + layout) as JSON (the catalog's graph format). */
function exportJson(input: ExportInput): ExportFile[] {
  const safe = input.project.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
  return [{ path: `${safe}.architecture.json`, text: serializeArchitecture(input.project) }];
}

export const EXPORTERS: readonly Exporter[] = [
  { format: 'tfjs', title: 'TensorFlow.js (LayersModel)', needsWeights: true, files: exportTfjs },
  { format: 'pytorch', title: 'PyTorch project', needsWeights: true, files: exportPytorch },
  { format: 'json', title: 'Architecture JSON', needsWeights: false, files: exportJson },
];

export function exporterFor(format: string): Exporter {
  const exporter = EXPORTERS.find((e) => e.format === format);
  if (!exporter)
    throw new Error(
      `Unknown export format "${format}": use one of ${EXPORTERS.map((e) => e.format).join(', ')}.`,
    );
  return exporter;
}

/** The generated files as the studio's read-only code preview shows them (binary files described). */
export function exportPreview(
  doc: ProjectDoc,
  format: ExportFormat,
): { files: { path: string; text: string }[] } {
  const files = exporterFor(format).files({ project: doc });
  return {
    files: files.map((f) => ({
      path: f.path,
      text: f.text ?? `(binary file, ${f.bytes?.length ?? 0} bytes: the trained weights)`,
    })),
  };
}

/** Writes a project's export (with its trained weights and, for PyTorch, its training examples). */
export async function writeProjectExport(
  doc: ProjectDoc,
  files: ProjectFiles,
  format: ExportFormat,
  outDir: string,
): Promise<string[]> {
  const exporter = exporterFor(format);
  if (!exporter.needsWeights) return writeExport(exporter.files({ project: doc }), outDir, files.access);
  const trained = await loadTrainedProject(doc, files, { examples: format === 'pytorch' });
  if (exporter.needsWeights && !trained.weights) {
    throw new Error(
      'The project has no trained weights yet: train it first, then export (the json format needs none).',
    );
  }
  const input: ExportInput = {
    project: trained.doc,
    ...(trained.weights ? { weights: trained.weights } : {}),
    ...(trained.optimizer ? { optimizer: trained.optimizer } : {}),
    examples: trained.examples,
  };
  return writeExport(exporter.files(input), outDir, files.access);
}

export type { ExportFile, ExportFormat, ExportInput } from './types.js';
