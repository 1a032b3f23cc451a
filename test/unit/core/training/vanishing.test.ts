// Per-time-step gradient norms on the adding problem (T = 100). The
// weights were trained by scripts/verify/train-vanishing.ts (25 epochs, Adam 0.01, the real engine) and
// saved in test/fixtures/training/vanishing-adding-t100.json; here the probe measures
// ‖∂L/∂h_t‖ again. Elman: the norm at t = 1 is orders of magnitude below the norm at t = T
// (vanishing). LSTM (which solved the task): it is not.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../core/engine/compile.js';
import { restoreWeights } from '../../../../core/training/weights.js';
import { addingT100, firstToLastRatio, graphOf } from '../../../fixtures/training/vanishing.js';

interface Trained {
  validationMse: number;
  ratioTrained: number;
  weights: { name: string; shape: number[]; data: number[] }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../../fixtures/training/vanishing-adding-t100.json', import.meta.url), 'utf8'),
) as Record<'elman' | 'lstm', Trained>;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function measured(cell: 'elman' | 'lstm'): Promise<number> {
  const model = compileGraph(graphOf(cell), { task: 'regression', seed: 7 });
  restoreWeights(
    model.weights,
    fixture[cell].weights.map((w) => ({ ...w, data: Float32Array.from(w.data) })),
  );
  const ratio = await firstToLastRatio(model, addingT100().validation);
  model.dispose();
  return ratio;
}

describe('gradient through time on the adding problem, T = 100', () => {
  it(
    'Elman decays by orders of magnitude from the last step to the first; ' + 'the trained LSTM does not',
    async () => {
      const elman = await measured('elman');
      const lstm = await measured('lstm');
      console.log(
        `first/last ‖∂L/∂h_t‖: Elman ${elman.toExponential(2)} (val MSE ` +
          `${fixture.elman.validationMse.toFixed(4)}), ` +
          `LSTM ${lstm.toExponential(2)} (val MSE ${fixture.lstm.validationMse.toFixed(4)})`,
      );
      expect(fixture.lstm.validationMse).toBeLessThan(0.05); // the LSTM solved it (baseline 0.167)
      expect(elman).toBeLessThan(1e-4);
      expect(lstm).toBeGreaterThan(1e-2);
      expect(lstm / elman).toBeGreaterThan(1e3);
    },
  );
});
