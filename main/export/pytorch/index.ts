// PyTorch export: a folder that trains and predicts with plain PyTorch (no studio needed). model.py is
// generated from the graph; studio_layers.py, seq2seq_layers.py, data.py, train.py and predict.py are
// fixed files shipped beside this module (runtime/); weights.bin + weights.json hold the trained weights
// in the studio's Keras layout, converted to torch's gate order when model.py loads them.
import { readFileSync } from 'node:fs';
import { dataFactsOf } from '../../../core/project/index.js';
import { planModel, type ModelPlan } from '../plan.js';
import type { ExportFile, ExportInput } from '../types.js';
import { checkWeights, packWeights, randomWeights, weightNames } from '../weights.js';
import { exportConfig } from '../exportConfig.js';
import { modelPy } from './modelPy.js';
import { pytorchReadme } from './readme.js';

const RUNTIME_FILES = ['studio_layers.py', 'seq2seq_layers.py', 'data.py', 'train.py', 'predict.py'] as const;

function runtimeFile(name: string): string {
  return readFileSync(new URL(`./runtime/${name}`, import.meta.url), 'utf8');
}

const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** The manifest beside a .bin of weights (or of optimizer slots), in the studio's Keras layout. */
function manifestText(manifest: ReturnType<typeof packWeights>['manifest']): string {
  return jsonText({ format: 'rnn-studio-weights', layout: 'keras', weights: manifest });
}

/** Encoded examples as JSON lines, typed arrays turned into plain lists. */
function examplesJsonl(input: ExportInput): string {
  return (input.examples ?? [])
    .map((e) =>
      JSON.stringify(e, (_key, value: unknown) =>
        ArrayBuffer.isView(value) ? Array.from(value as Float32Array) : value,
      ),
    )
    .join('\n');
}

/** The optimizer's slots in the weights' layout (permuting a weight permutes its moments the same way), one
 * file pair per slot kind, and optimizer.json naming them with the step count. */
function optimizerFiles(input: ExportInput, names: string[]): ExportFile[] {
  const memory = input.optimizer;
  if (!memory || Object.keys(memory.slots).length === 0) return [];
  const files: ExportFile[] = [];
  for (const [slot, values] of Object.entries(memory.slots)) {
    const present = names.filter((n) => values[n]);
    const packed = packWeights(present, values);
    files.push(
      {
        path: `optimizer-${slot}.json`,
        text: manifestText(packed.manifest),
      },
      { path: `optimizer-${slot}.bin`, bytes: packed.bytes },
    );
  }
  files.push({
    path: 'optimizer.json',
    text: jsonText({ kind: memory.kind, step: memory.step, slots: Object.keys(memory.slots) }),
  });
  return files;
}

export function exportPytorch(
  input: ExportInput,
  plan: ModelPlan = planModel(input.project.graph, dataFactsOf(input.project)),
): ExportFile[] {
  const weights = input.weights ?? randomWeights(plan, 1, 0);
  if (input.weights) checkWeights(plan, input.weights);
  const names = weightNames(plan);
  const packed = packWeights(names, weights);
  const config = exportConfig(input.project, plan);
  return [
    ...optimizerFiles(input, names),
    { path: 'README.md', text: pytorchReadme(input.project, plan, input.weights !== undefined) },
    { path: 'model.py', text: modelPy(plan, input.project.name) },
    ...RUNTIME_FILES.map((name) => ({ path: name, text: runtimeFile(name) })),
    { path: 'config.json', text: jsonText(config) },
    {
      path: 'weights.json',
      text: manifestText(packed.manifest),
    },
    { path: 'weights.bin', bytes: packed.bytes },
    { path: 'data/train.jsonl', text: examplesJsonl(input) },
  ];
}
