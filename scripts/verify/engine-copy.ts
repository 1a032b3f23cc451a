// The copy task (Hochreiter & Schmidhuber 1997; Arjovsky et al. 2016) as specified: 8 symbols
// drawn from 8 kinds, 49 blanks and the ":" go marker (a delay of 50 steps), then 8 blank steps during
// which the model must write the 8 symbols back in order. Trained the way a user's run trains it: the
// copy-task template's graph (embedding → recurrent layer → softmax tag head) with its generator, the
// studio's split and encoding, core/engine's compiled graph and core/training's loop. Score: symbols
// recalled right at the 8 recall positions of the held-out test split. Targets: LSTM ≥ 99%; an Elman RNN
// of the same size, trained with the same budget, stays near chance (1/8): between 6.25% and 25%.
// Usage: npx tsx scripts/verify/engine-copy.ts [--cell lstm|elman|both] [--units H] [--epochs N] [--chrono T]
//        [--count N] [--batch B] [--lr R] [--step-after N]
import * as tf from '@tensorflow/tfjs-core';
import type { StudioModel } from '../../core/engine/types.js';
import type { ExampleSource } from '../../core/training/source.js';
import { loadTemplate } from '../../main/project/templates.js';
import {
  arg,
  buildRun,
  choice,
  release,
  startClock,
  templateProject,
  trainRun,
  useBackend,
} from './engine-shared.js';

const SYMBOLS = 8;
const LENGTH = 8;
const DELAY = 50;
const RECALL_FROM = LENGTH + DELAY; // the first recall step (0-based)
const TARGET = 0.99;
// "Near chance": within a factor of 2 of 1/8. Below that the model has not even learned to write symbols
// at the recall steps (an untrained one writes blanks and scores 0%), which would prove nothing.
const NEAR_CHANCE = [0.5 / SYMBOLS, 2 / SYMBOLS] as const;
const CELLS = choice('--cell', ['lstm', 'elman', 'both'] as const, 'both');
// The recipe is the copy-task template's own (resources/templates/copy-task.json: one-hot input, LSTM 128
// with chrono initialisation T=58, batch 32, Adam 0.002 ×0.1 after 12 epochs, clip 1, 20 epochs of 1000
// steps); the flags only override it for experiments. Its size, batch, rate, schedule and epochs are read
// from the template so this checks what a user gets. Why it: in PyTorch (same layout, 1 thread) batch 128,
// Adam 0.005 with the default forget bias 1 recalled 56.5% after 3000 steps and 78.6% after 6900; chrono +
// one-hot at batch 128 57% after 2800. Here at batch 32 with a constant rate the validation recall went
// 13/33/41/62/78/88/93/94/96/97/96/98/98/99/93/97% over epochs 1-16 (test 97.46%): it gets there but the
// constant rate keeps knocking it back, hence the step down after epoch 12. With it, validation recall
// went 97.9% (epoch 12) → 98.7/98.8/98.9/99.0/99.0/99.1/99.1/99.2% (epochs 13-20), test 99.15%; stepping
// down after epoch 10 instead flattened out at 98.6% (test 98.56% after 18 epochs).
const template = (await loadTemplate('resources', 'copy-task')).template.project;
const templateLstm = template.graph.nodes.find((n) => n.id === 'lstm');
if (templateLstm?.kind !== 'lstm')
  throw new Error('copy-task template: expected an "lstm" node (resources/templates/copy-task.json)');
const UNITS = arg('--units', templateLstm.params.units as number);
// The LSTM's chronoMaxDelay (0 = off: forget-gate bias 1), to measure what chrono initialisation buys.
const CHRONO = arg('--chrono', (templateLstm.params.chronoMaxDelay as number | undefined) ?? 0);
const EPOCHS = arg('--epochs', template.training.epochs);
const COUNT = arg(
  '--count',
  (template.dataset?.source as { params?: { count?: number } } | undefined)?.params?.count ?? 80_000,
);
const BATCH = arg('--batch', template.training.batchSize);
const LR = arg('--lr', template.training.optimizer.learningRate);
const CLIP = template.training.clipping;
// The step schedule's period in epochs (the rate is multiplied by its factor every N epochs).
const SCHEDULE =
  template.training.schedule.kind === 'step'
    ? {
        ...template.training.schedule,
        stepEpochs: arg('--step-after', template.training.schedule.stepEpochs),
      }
    : template.training.schedule;
// Training stops once the validation split recalls this much (not the test split, which only scores).
const STOP_AT = 0.995;

/** Share of the recall positions (t ≥ length + delay) whose most likely tag is the right symbol. */
function recall(model: StudioModel, source: ExampleSource, head: string): number {
  let right = 0;
  let total = 0;
  for (let start = 0; start < source.size; start += 256) {
    const batch = source.batch(
      Array.from({ length: Math.min(256, source.size - start) }, (_, i) => start + i),
    );
    const predicted = tf.tidy(() =>
      tf.argMax(model.forward(batch, { training: false }).outputs[head]!, -1).dataSync(),
    );
    const [n, T] = batch.labels!.shape as [number, number];
    if (T !== RECALL_FROM + LENGTH)
      throw new Error(`copy-task sequences have ${T} steps, expected ${RECALL_FROM + LENGTH}`);
    for (let b = 0; b < n; b++) {
      for (let t = RECALL_FROM; t < T; t++)
        if (predicted[b * T + t] === batch.labels!.data[b * T + t]) right++;
      total += LENGTH;
    }
  }
  return right / total;
}

async function trainCell(
  cell: 'lstm' | 'elman',
  epochs: number,
  backend: { name: string; description: string },
): Promise<{ score: number; epochs: number; steps: number }> {
  const doc = await templateProject('copy-task', {
    params: { symbols: SYMBOLS, length: LENGTH, delay: DELAY, count: COUNT },
    // Same graph for both cells: only the recurrent node's kind changes; same units, same everything else.
    // The LSTM keeps the template's options (its initialisation); the Elman block takes only the size, since
    // LSTM options do not exist on an Elman block.
    graph: (g) => ({
      ...g,
      nodes: g.nodes.map((n) =>
        n.id !== 'lstm'
          ? n
          : {
              ...n,
              kind: cell,
              params:
                cell === 'lstm' ? { ...n.params, units: UNITS, chronoMaxDelay: CHRONO } : { units: UNITS },
            },
      ),
    }),
    training: {
      ...template.training,
      epochs,
      batchSize: BATCH,
      seed: 7,
      schedule: SCHEDULE,
      optimizer: { ...template.training.optimizer, learningRate: LR },
    },
  });
  const run = await buildRun(doc);
  const head = doc.graph.nodes.find((n) => n.kind === 'head')!.id;
  const params = run.model.weights.reduce((a, w) => a + w.variable.size, 0);
  console.log(
    `\n${cell}: ${UNITS} units (${params} weights), ` +
      `${run.data.train.size} train / ${run.data.validation?.size} validation / ` +
      `${run.test.size} test sequences, batch ${BATCH}, ` +
      `${template.training.optimizer.kind} lr ${LR}, clip ${CLIP.kind} ${CLIP.value}, ` +
      `schedule ${JSON.stringify(doc.training.schedule)}, ` +
      `${JSON.stringify(doc.graph.nodes.find((n) => n.id === 'lstm')!.params)}, ` +
      `at most ${epochs} epochs on ${backend.description}`,
  );
  const clock = startClock();
  const end = await trainRun(run, backend.name, (e) => {
    const r = recall(run.model, run.data.validation!, head);
    console.log(
      `  ${cell} epoch ${e.epoch} (step ${e.step}): train loss ${e.trainLoss?.toFixed(4)}, ` +
        `validation recall ${(100 * r).toFixed(1)}% (${clock.text()})`,
    );
    return r >= STOP_AT;
  });
  const score = recall(run.model, run.test, head);
  console.log(
    `  ${cell}: ${end.epochs} epochs, ${end.steps} steps in ${clock.text()} (run ${end.status}); ` +
      `test recall ${(100 * score).toFixed(2)}%`,
  );
  release(run.model);
  return { score, epochs: end.epochs, steps: end.steps };
}

const backend = await useBackend();
console.log(
  `copy task: ${LENGTH} symbols of ${SYMBOLS} kinds, delay ${DELAY}, T=${RECALL_FROM + LENGTH}; ` +
    `chance = 1/${SYMBOLS} = ${(100 / SYMBOLS).toFixed(1)}%`,
);
const results: string[] = [];
let ok = true;
// The Elman RNN gets the same budget as the LSTM: the epochs the LSTM trained (it stops once it recalls
// ≥ 99.5% on validation), or all of them when it runs alone.
let budget = EPOCHS;
if (CELLS !== 'elman') {
  const lstm = await trainCell('lstm', EPOCHS, backend);
  budget = lstm.epochs;
  results.push(
    `LSTM recall ${(100 * lstm.score).toFixed(2)}% after ${lstm.steps} steps: ` +
      `${lstm.score >= TARGET ? 'PASS' : 'FAIL'} (target ≥ ${100 * TARGET}%)`,
  );
  ok &&= lstm.score >= TARGET;
}
if (CELLS !== 'lstm') {
  const elman = await trainCell('elman', budget, backend);
  const near = elman.score >= NEAR_CHANCE[0] && elman.score <= NEAR_CHANCE[1];
  results.push(
    `Elman recall ${(100 * elman.score).toFixed(2)}% after ${elman.steps} steps vs chance ` +
      `${(100 / SYMBOLS).toFixed(1)}%: ${near ? 'PASS' : 'FAIL'} (expected ` +
      `${100 * NEAR_CHANCE[0]}%–${100 * NEAR_CHANCE[1]}%)`,
  );
  ok &&= near;
}
console.log(
  `wall ${(performance.now() / 1000).toFixed(0)} s since start, ` +
    `${(process.cpuUsage().user / 1e6).toFixed(0)} s user CPU`,
);
console.log('');
for (const line of results) console.log(line);
process.exitCode = ok ? 0 : 1;
