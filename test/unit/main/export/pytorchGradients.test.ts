// The PyTorch export trains what the studio trains: on the same weights and labelled batch, the loss of
// train.py's task_loss equals the compiled engine's, and each block's gradient (L2 norm over its weights:
// independent of layout, gate order and torch's split biases) agrees to 1e-4 relative. Covers every
// template and graph, so each seq2seq and state-space option is checked in training as well as inference.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../core/engine/compile.js';
import { exportPytorch } from '../../../../main/export/pytorch/index.js';
import { pythonNames } from '../../../../main/export/pytorch/modelPy.js';
import { writeExport } from '../../../../main/export/write.js';
import { batchJson, labelledBatches, type Case } from './helpers.js';
import { EXPORT_CASES } from './graphs.js';
import { hasTorch, PYTHON } from './torch.js';

const PROBE = new URL('../../../../scripts/reference/export_grad_probe.py', import.meta.url).pathname;

interface Gradients {
  loss: number;
  /** Python block name -> L2 norm of the gradient over the block's weights. */
  norms: Record<string, number>;
}

/**
 * The compiled engine's loss and per-block gradient norms (dropout off), keyed like model.py's attributes.
 */
function studioGradients(c: Case, batch: ReturnType<typeof labelledBatches>['studio']): Gradients {
  const model = compileGraph(c.project.graph, { task: c.project.task });
  try {
    for (const w of model.weights) {
      const v = c.weights[w.name]!;
      w.variable.assign(tf.tensor(v.data, v.shape, 'float32'));
    }
    const { value, grads } = tf.variableGrads(() => model.forward(batch, { training: false }).loss);
    const names = pythonNames(c.plan);
    const squares: Record<string, number> = {};
    for (const w of model.weights) {
      const g = grads[w.variable.name];
      if (!g) continue;
      const key = names.get(w.node)!;
      squares[key] = (squares[key] ?? 0) + (g.dataSync() as Float32Array).reduce((sum, x) => sum + x * x, 0);
    }
    const loss = value.dataSync()[0]!;
    tf.dispose([value, ...Object.values(grads)]);
    return { loss, norms: Object.fromEntries(Object.entries(squares).map(([k, v]) => [k, Math.sqrt(v)])) };
  } finally {
    model.dispose();
  }
}

describe.runIf(hasTorch)('PyTorch export: same loss and gradients as the studio', () => {
  const results = new Map<string, { studio: Gradients; torch: Gradients }>();
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const dirs = new Map<string, { name: string; studio: Gradients }>();
    for (const [name, make] of EXPORT_CASES) {
      const c = make();
      const batches = labelledBatches(c);
      const dir = mkdtempSync(path.join(tmpdir(), `rnn-pt-grad-${name}-`));
      await writeExport(exportPytorch({ project: c.project, weights: c.weights }), dir);
      writeFileSync(path.join(dir, 'probe.json'), JSON.stringify(batchJson(batches.torch)));
      dirs.set(dir, { name, studio: studioGradients(c, batches.studio) });
    }
    const all = JSON.parse(
      execFileSync(PYTHON, [PROBE, ...dirs.keys()], { encoding: 'utf8', maxBuffer: 64 << 20 }),
    ) as Record<string, Gradients>;
    for (const [dir, { name, studio }] of dirs) results.set(name, { studio, torch: all[dir]! });
  }, 180_000);

  for (const [name] of EXPORT_CASES) {
    it(`${name}: loss within 1e-5 and every block's gradient norm within 1e-4 (relative)`, () => {
      const { studio, torch } = results.get(name)!;
      expect(Math.abs(torch.loss - studio.loss) / Math.abs(studio.loss), 'loss').toBeLessThan(1e-5);
      // The same blocks have gradients on both sides (a block missing on one side would be a lost weight).
      expect(Object.keys(torch.norms).sort()).toEqual(Object.keys(studio.norms).sort());
      let worst = 0;
      for (const [block, norm] of Object.entries(studio.norms)) {
        const relative = Math.abs(torch.norms[block]! - norm) / Math.max(norm, 1e-12);
        worst = Math.max(worst, relative);
        expect(relative, `${block} gradient norm ${torch.norms[block]} vs studio ${norm}`).toBeLessThan(1e-4);
      }
      console.log(
        `[pytorch gradients] ${name}: loss ${studio.loss.toFixed(6)}, ` +
          `worst block gradient ${worst.toExponential(1)} rel`,
      );
    });
  }
});
