// The vanishing-gradient picture, measured: on the adding problem with
// T = 100, ‖∂loss/∂h_t‖ from the probe (gradient-through-time taps of the real engine) for an Elman
// RNN and an LSTM of 32 units, at initialisation and after training. The figure is the ratio of the norm at
// the first step to the norm at the last, averaged (geometric mean) over probe examples. Target: the trained
// LSTM's ratio is at least 1e4 times the Elman's (orders of magnitude), and the Elman's < 1e-3.
import { writeFileSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { compileGraph } from '../../core/engine/compile.js';
import { TrainingConfigSchema } from '../../core/training/config.js';
import { RunControl } from '../../core/training/control.js';
import { train } from '../../core/training/loop.js';
import { selectBackend } from '../../main/engine/backend.js';
import { addingT100, firstToLastRatio, graphOf, T } from '../../test/fixtures/training/vanishing.js';

// 25 epochs at 0.01: the LSTM finds the solution around epoch 20 (validation MSE 0.004 measured), the
// Elman RNN never does.
const EPOCHS = Number(process.env.VANISHING_EPOCHS ?? 25);
const LEARNING_RATE = Number(process.env.VANISHING_LR ?? 0.01);
/** With a path, the trained weights are written there (test/fixtures/training/vanishing-adding-t100.json). */
const FIXTURE = process.env.VANISHING_FIXTURE;
const CELLS = (process.env.VANISHING_CELLS ?? 'elman,lstm').split(',') as ('elman' | 'lstm')[];
const backend = await selectBackend((process.env.BACKEND as 'wasm' | 'cpu' | undefined) ?? 'wasm');
const { train: trainSource, validation } = addingT100();
const ratio = firstToLastRatio;
const spec = {
  source: { kind: 'generator', name: 'adding-problem', params: { count: 2000, length: T }, seed: 3 },
};

const results: Record<string, { init: number; trained: number; mse: number | null }> = {};
const fixture: Record<string, unknown> = {
  generator: spec.source,
  graphSeed: 7,
  epochs: EPOCHS,
  learningRate: LEARNING_RATE,
};
for (const cell of CELLS) {
  const model = compileGraph(graphOf(cell), { task: 'regression', seed: 7 });
  const init = await ratio(model, validation);
  const config = TrainingConfigSchema.parse({
    epochs: EPOCHS,
    batchSize: 32,
    seed: 7,
    optimizer: { kind: 'adam', learningRate: LEARNING_RATE },
    probe: { everyEpochs: 0 },
  });
  const started = Date.now();
  const end = await train({
    runId: `vanishing-${cell}`,
    model,
    data: { task: 'regression', train: trainSource, validation },
    config,
    backend: backend.name,
    control: new RunControl(),
    hooks: {
      emit: (e) => {
        // The probe's forward runs now; its read arrives before the next
        // batch's (the loop yields between batches).
        if (e.type === 'epoch' && e.epoch % 5 === 0)
          void ratio(model, validation).then((r) =>
            console.log(
              `  ${cell} epoch ${e.epoch}: validation MSE ${e.validation?.loss?.toFixed(4)}, ` +
                `first/last ${r.toExponential(2)}`,
            ),
          );
      },
      saveCheckpoint: () => 'memory',
    },
  });
  const trained = await ratio(model, validation);
  results[cell] = { init, trained, mse: end.final.validation?.loss ?? null };
  fixture[cell] = {
    validationMse: end.final.validation?.loss ?? null,
    ratioInit: init,
    ratioTrained: trained,
    weights: model.weights.map((w) => ({
      name: w.name,
      shape: w.variable.shape,
      data: Array.from(w.variable.dataSync()),
    })),
  };
  console.log(
    `${cell.padEnd(5)} T=${T}: first/last ‖∂L/∂h_t‖ at init ${init.toExponential(2)}, ` +
      `after ${EPOCHS} epochs ${trained.toExponential(2)}; ` +
      `validation MSE ${end.final.validation?.loss?.toFixed(4)} (baseline 0.167); ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s on ${backend.name}`,
  );
  model.dispose();
  tf.disposeVariables();
}
const elman = results.elman?.trained ?? NaN;
const lstm = results.lstm?.trained ?? NaN;
const met = elman < 1e-3 && lstm / Math.max(elman, 1e-38) >= 1e4;
console.log(
  `LSTM/Elman ratio after training: ${(lstm / Math.max(elman, 1e-38)).toExponential(2)} (target ≥ ` +
    `1e4, Elman < 1e-3): ${met ? 'met' : 'MISSED'}`,
);
if (FIXTURE) writeFileSync(FIXTURE, JSON.stringify(fixture) + '\n');
process.exitCode = met ? 0 : 1;
