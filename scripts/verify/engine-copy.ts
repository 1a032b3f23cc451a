// The copy task: 8 symbols (of 8), a delay of 50 blank steps, a delimiter, then the model must replay the
// 8 symbols. An LSTM must recall ≥ 99% of symbols; an Elman RNN of the same size stays near chance (1/8)
// because its gradient vanishes over the delay. Both are compiled studio graphs trained the same way.
// Usage: npx tsx scripts/verify/engine-copy.ts [--steps N] [--units H] [--cell lstm|elman|both]
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
import { compileGraph } from '../../core/engine/compile.js';
import type { Batch } from '../../core/data/batch.js';
import { arg, rng, trainer } from './engine-shared.js';

const SYMBOLS = 8;
const DELAY = 50;
const BLANK = SYMBOLS + 1;
const DELIM = SYMBOLS + 2;
const V = SYMBOLS + 3; // 0 = padding (unused here)
const T = SYMBOLS + DELAY + SYMBOLS;
const B = arg('--batch', 32);
const H = arg('--units', 64);
const STEPS = arg('--steps', 4000);
const cellArg = process.argv.includes('--cell') ? process.argv[process.argv.indexOf('--cell') + 1] : 'both';

function batch(size: number, random: () => number): Batch {
  const tokens = new Int32Array(size * T).fill(BLANK);
  const labels = new Int32Array(size * T).fill(BLANK);
  for (let b = 0; b < size; b++) {
    for (let i = 0; i < SYMBOLS; i++) {
      const s = 1 + Math.floor(random() * SYMBOLS);
      tokens[b * T + i] = s;
      labels[b * T + SYMBOLS + DELAY + i] = s;
    }
    tokens[b * T + SYMBOLS + DELAY - 1] = DELIM;
  }
  return {
    tokens: { dtype: 'int32', shape: [size, T], data: tokens },
    mask: { dtype: 'float32', shape: [size, T], data: new Float32Array(size * T).fill(1) },
    labels: { dtype: 'int32', shape: [size, T], data: labels },
  };
}

/** Share of the 8 recalled symbols predicted right. */
function recall(probs: tf.Tensor, held: Batch): number {
  const predicted = tf.tidy(() => tf.argMax(probs, -1).dataSync());
  const labels = held.labels!.data;
  const n = held.labels!.shape[0]!;
  let right = 0;
  for (let b = 0; b < n; b++) for (let i = SYMBOLS + DELAY; i < T; i++) if (predicted[b * T + i] === labels[b * T + i]) right++;
  return right / (n * SYMBOLS);
}

function run(cell: 'lstm' | 'elman'): number {
  const model = compileGraph(
    {
      nodes: [
        { id: 'tokens', kind: 'input', params: { role: 'tokens' } },
        { id: 'onehot', kind: 'embedding', params: { vocabularySize: V, oneHot: true, maskZero: false } },
        { id: 'rnn', kind: cell, params: { units: H } },
        { id: 'symbols', kind: 'head', params: { units: V } },
      ],
      edges: [
        { id: 'a', from: { node: 'tokens', port: 'out' }, to: { node: 'onehot', port: 'in' } },
        { id: 'b', from: { node: 'onehot', port: 'out' }, to: { node: 'rnn', port: 'in' } },
        { id: 'c', from: { node: 'rnn', port: 'out' }, to: { node: 'symbols', port: 'in' } },
      ],
    },
    { task: 'tagging', seed: 3 },
  );
  const step = trainer(model, 0.005, 1);
  const random = rng(11);
  const held = batch(200, rng(123));
  const evaluate = () => tf.tidy(() => recall(model.forward(held, { training: false }).outputs.symbols!, held));
  const started = Date.now();
  let acc = 0;
  for (let i = 1; i <= STEPS; i++) {
    const loss = step(batch(B, random));
    if (i % 100 === 0) {
      acc = evaluate();
      console.log(`${cell} step ${i}: loss ${loss.toFixed(4)}, recall ${(acc * 100).toFixed(1)}% (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      if (acc >= 0.995) break;
    }
  }
  model.dispose();
  return acc;
}

await selectBackend('auto', console.error);
console.log(`copy task: ${SYMBOLS} symbols, delay ${DELAY}, T=${T}, ${H} units, batch ${B}; chance = ${(100 / SYMBOLS).toFixed(1)}%`);
let ok = true;
if (cellArg === 'lstm' || cellArg === 'both') {
  const acc = run('lstm');
  console.log(`LSTM recall ${(acc * 100).toFixed(1)}%: ${acc >= 0.99 ? 'met' : 'MISSED'} (target ≥ 99%)`);
  ok &&= acc >= 0.99;
}
if (cellArg === 'elman' || cellArg === 'both') {
  const acc = run('elman');
  const nearChance = acc < 0.25;
  console.log(`Elman recall ${(acc * 100).toFixed(1)}%: ${nearChance ? 'near chance, as expected' : 'UNEXPECTED'} (expected < 25%)`);
  ok &&= nearChance;
}
process.exitCode = ok ? 0 : 1;
