// tfjs export: model.json + weights.bin in the tfjs LayersModel format, loadable by stock
// `tf.loadLayersModel`; studio-layers.js beside it when the graph needs custom layers; the tokenizer
// vocabulary and preprocessing settings (preprocessing.json), a usage snippet and a README.
import { readFileSync } from 'node:fs';
import { dataFactsOf } from '../../../core/project/index.js';
import { exportConfig } from '../exportConfig.js';
import { planModel, type ModelPlan } from '../plan.js';
import type { ExportFile, ExportInput } from '../types.js';
import { checkWeights, packWeights, randomWeights, weightNames } from '../weights.js';
import { buildTopology } from './topology.js';
import { tfjsReadme, usageSnippet } from './readme.js';

export const TFJS_WEIGHTS_FILE = 'weights.bin';

export function exportTfjs(
  input: ExportInput,
  plan: ModelPlan = planModel(input.project.graph, dataFactsOf(input.project)),
): ExportFile[] {
  const values = input.weights ?? randomWeights(plan, 1, 0);
  if (input.weights) checkWeights(plan, input.weights);
  const topology = buildTopology(plan, input.project.name);
  const names = weightNames(plan);
  const packed = packWeights(names, values);
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'RNN Studio',
    convertedBy: null,
    modelTopology: topology.modelTopology,
    weightsManifest: [
      {
        paths: [TFJS_WEIGHTS_FILE],
        weights: packed.manifest.map((w) => ({
          name: topology.weightNames.get(w.name) ?? w.name,
          shape: w.shape,
          dtype: w.dtype,
        })),
      },
    ],
  };
  const { training: _training, ...preprocessing } = exportConfig(input.project, plan);
  const custom = topology.customClasses.size > 0;
  const files: ExportFile[] = [
    { path: 'model.json', text: `${JSON.stringify(modelJson, null, 1)}\n` },
    { path: TFJS_WEIGHTS_FILE, bytes: packed.bytes },
    { path: 'preprocessing.json', text: `${JSON.stringify(preprocessing, null, 2)}\n` },
    { path: 'usage.mjs', text: usageSnippet(custom) },
    {
      path: 'README.md',
      text: tfjsReadme(input.project, plan, [...topology.customClasses], input.weights !== undefined),
    },
  ];
  if (custom)
    files.push({
      path: 'studio-layers.js',
      text: readFileSync(new URL('./runtime/studio-layers.js', import.meta.url), 'utf8'),
    });
  return files;
}
