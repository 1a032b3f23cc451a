// The vanishing-gradient picture, measured (issue 6, "what it must show" 2): on the adding problem with
// T = 100, ‖∂loss/∂h_t‖ from the probe (gradient-through-time taps of the real engine) for an Elman RNN
// and an LSTM of 32 units, at initialisation and after training. The figure is the ratio of the norm at
// the first step to the norm at the last, averaged (geometric mean) over probe examples. Target: the
// trained LSTM's ratio is at least 1e4 times the Elman's (orders of magnitude), and the Elman's < 1e-3.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { generateExamples } from '../../core/data/generators/index.js';
import { buildDataset } from '../../core/data/dataset.js';
import { DatasetSpecSchema } from '../../core/data/spec.js';
import { compileGraph } from '../../core/engine/compile.js';
import type { Graph } from '../../core/graph/types.js';
import { TrainingConfigSchema } from '../../core/training/config.js';
import { RunControl } from '../../core/training/control.js';
import { train } from '../../core/training/loop.js';
import { runProbe } from '../../core/training/probe.js';
import type { ExampleSource } from '../../core/training/source.js';
import { selectBackend } from '../../main/engine/backend.js';
import { encodedSource } from '../../main/training/projectData.js';

const T = 100;
const EPOCHS = Number(process.env.VANISHING_EPOCHS ?? 12);
const LEARNING_RATE = Number(process.env.VANISHING_LR ?? 0.005);
const CELLS = (process.env.VANISHING_CELLS ?? 'elman,lstm').split(',') as ('elman' | 'lstm')[];
const backend = await selectBackend((process.env.BACKEND as 'wasm' | 'cpu' | undefined) ?? 'wasm');
const spec = DatasetSpecSchema.parse({ task: 'regression', source: { kind: 'generator', name: 'adding-problem', params: { count: 2000, length: T }, seed: 3 } });
const built = buildDataset(spec, generateExamples(spec.source as { name: string; params: Record<string, unknown>; seed: number }));
const trainSource = encodedSource('regression', built.train);
const validation = encodedSource('regression', built.validation);

function graphOf(cell: 'elman' | 'lstm'): Graph {
  return {
    nodes: [
      { id: 'features', kind: 'input', params: { role: 'features', features: 2 } },
      { id: cell, kind: cell, params: { units: 32, returnSequences: false } },
      { id: 'sum', kind: 'head', params: { activation: 'linear', units: 1 } },
    ],
    edges: [
      { id: 'e1', from: { node: 'features', port: 'out' }, to: { node: cell, port: 'in' } },
      { id: 'e2', from: { node: cell, port: 'out' }, to: { node: 'sum', port: 'in' } },
    ],
  };
}

/** Geometric mean over probe examples of ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖. */
function ratio(model: ReturnType<typeof compileGraph>, source: ExampleSource): number {
  let logSum = 0;
  let n = 0;
  for (let i = 0; i < 8; i++) {
    const norms = runProbe(model, source, i, 'validation').gradientThroughTime[0]?.norms ?? [];
    const first = norms[0] ?? 0;
    const last = norms[norms.length - 1] ?? 0;
    logSum += Math.log10(Math.max(first, 1e-38) / Math.max(last, 1e-38));
    n += 1;
  }
  return 10 ** (logSum / n);
}

const results: Record<string, { init: number; trained: number; mse: number | null }> = {};
for (const cell of CELLS) {
  const model = compileGraph(graphOf(cell), { task: 'regression', seed: 7 });
  const init = ratio(model, validation);
  const config = TrainingConfigSchema.parse({ epochs: EPOCHS, batchSize: 32, seed: 7, optimizer: { kind: 'adam', learningRate: LEARNING_RATE }, probe: { everyEpochs: 0 } });
  const started = Date.now();
  const end = await train({
    runId: `vanishing-${cell}`, model, data: { task: 'regression', train: trainSource, validation }, config,
    backend: backend.name, control: new RunControl(),
    hooks: {
      emit: (e) => {
        if (e.type === 'epoch' && e.epoch % 5 === 0) console.log(`  ${cell} epoch ${e.epoch}: validation MSE ${e.validation?.loss?.toFixed(4)}, first/last ${ratio(model, validation).toExponential(2)}`);
      },
      saveCheckpoint: () => 'memory',
    },
  });
  const trained = ratio(model, validation);
  results[cell] = { init, trained, mse: end.final.validation?.loss ?? null };
  console.log(`${cell.padEnd(5)} T=${T}: first/last ‖∂L/∂h_t‖ at init ${init.toExponential(2)}, after ${EPOCHS} epochs ${trained.toExponential(2)}; validation MSE ${end.final.validation?.loss?.toFixed(4)} (baseline 0.167); ${((Date.now() - started) / 1000).toFixed(0)} s on ${backend.name}`);
  model.dispose();
  tf.disposeVariables();
}
const elman = results.elman?.trained ?? NaN;
const lstm = results.lstm?.trained ?? NaN;
const met = elman < 1e-3 && lstm / Math.max(elman, 1e-38) >= 1e4;
console.log(`LSTM/Elman ratio after training: ${(lstm / Math.max(elman, 1e-38)).toExponential(2)} (target ≥ 1e4, Elman < 1e-3): ${met ? 'met' : 'MISSED'}`);
process.exitCode = met ? 0 : 1;
