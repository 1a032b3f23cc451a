// Where a data-parallel step's time goes on the engine's own thread, per bench config: publishing the
// weights, its own shard's forward and backward, waiting for the workers, summing the gradients and the
// update (gradient report + Adam + the telemetry read). Prints milliseconds per phase (medians over the
// timed steps). Run: npx tsx scripts/bench/phases.mts [config] [workers] [steps]
import { readFileSync } from 'node:fs';
import { selectBackend } from '../../main/engine/backend.js';
import { noteMissingEngineFlags } from '../../main/training/engineFlags.js';
import { BENCH_CONFIGS, isBenchName, BENCH_NAMES } from '../../main/engine/bench/configs.js';
import { benchClipping, benchModel, benchOptimizer } from '../../main/engine/bench/ours.js';
import { benchShardPool } from '../../main/engine/bench/parallel.js';
import { publishWeights, splitBatch, sumGradients } from '../../core/training/dataParallel.js';
import { applyGradients, windowGradients } from '../../core/training/step.js';
import { SeededRandom } from '../../core/training/random.js';

const [name = 'all', workersText = '2', stepsText = '6'] = process.argv.slice(2);
const solo = workersText.endsWith('solo');
const workers = Number(workersText.replace('solo', ''));
const steps = Number(stepsText);
await selectBackend('wasm');
noteMissingEngineFlags();
const names = name === 'all' ? [...BENCH_NAMES] : [name].filter(isBenchName);
/** This thread's CPU time in ms (Linux /proc, 10 ms ticks). */
const threadCpu = () => {
  const f = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

for (const n of names) {
  const c = BENCH_CONFIGS[n];
  const { model, batch } = benchModel(c);
  const optimizer = benchOptimizer();
  const parameters = model.weights.reduce((s, w) => s + w.variable.size, 0);
  const pool = workers > 1 && !solo ? await benchShardPool(c, workers, 'wasm', parameters) : undefined;
  const shards = splitBatch(batch, workers);
  const phases: Record<string, number[]> = {};
  const note = (k: string, ms: number) => (phases[k] ??= []).push(ms);
  const random = new SeededRandom(1);
  for (let s = 0; s < steps + 2; s++) {
    const t0 = performance.now();
    if (pool) publishWeights(model, pool.weights);
    const t1 = performance.now();
    const pending = pool?.compute(shards.slice(1).map((b) => ({ batch: b, carry: false, seed: 1 })));
    const c1 = process.cpuUsage();
    const th1 = threadCpu();
    const local = windowGradients(model, shards[0]!, undefined, () => random.next());
    const t2 = performance.now();
    const c2 = process.cpuUsage(c1);
    const th2 = threadCpu();
    const remote = pending ? await pending : [];
    const t3 = performance.now();
    const total = local.count + remote.reduce((a, r) => a + r.count, 0);
    const grads =
      remote.length > 0
        ? sumGradients(
            model,
            local.grads,
            local.count / total,
            remote.map((r) => ({ gradients: r.gradients, share: r.count / total })),
          )
        : local.grads;
    const t4 = performance.now();
    await applyGradients(model, local.loss, grads, optimizer, 1e-3, benchClipping);
    const t5 = performance.now();
    if (s >= 2) {
      note('publish', t1 - t0);
      note('local', t2 - t1);
      note('local cpu (process)', (c2.user + c2.system) / 1000);
      note('local cpu (thread)', th2 - th1);
      note('wait', t3 - t2);
      note('sum', t4 - t3);
      note('apply', t5 - t4);
      note('total', t5 - t0);
    }
  }
  console.log(
    `${n} (${workers} worker${workers > 1 ? 's' : ''}, ${parameters} parameters): ` +
      Object.entries(phases)
        .map(([k, v]) =>
          k.includes('cpu')
            ? `${k} ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1)}`
            : `${k} ${median(v).toFixed(1)} (min ${Math.min(...v).toFixed(1)})`,
        )
        .join(', ') +
      ' ms',
  );
  await pool?.close();
  optimizer.dispose();
  model.dispose();
}
