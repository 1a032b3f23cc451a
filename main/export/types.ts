// What every exporter takes and returns. Exporters are pure: files in memory, written by writeExport
// (main/export/write.ts) or shown read-only in the studio's code preview.
import type { EncodedExample } from '../../core/data/encode.js';
import type { ProjectDoc } from '../../core/project/index.js';
import type { OptimizerMemory } from '../inference/trainedWeights.js';
import type { WeightValues } from './weights.js';

export type ExportFormat = 'tfjs' | 'pytorch' | 'json';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['tfjs', 'pytorch', 'json'];

export interface ExportInput {
  project: ProjectDoc;
  /** Trained weights by `${node}/${name}`; absent for a code preview of an untrained model. */
  weights?: WeightValues;
  /** The optimizer's slots and step at the checkpoint, so PyTorch training continues where it stopped. */
  optimizer?: OptimizerMemory;
  /** Encoded training examples, written as data/train.jsonl for the PyTorch project's data.py. */
  examples?: EncodedExample[];
}

export interface ExportFile {
  /** Relative, forward slashes. */
  path: string;
  text?: string;
  bytes?: Uint8Array;
}
