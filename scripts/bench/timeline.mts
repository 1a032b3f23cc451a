// The timeline of a data-parallel training step, per bench config: every phase on the engine's thread
// (split, publish weights, send, own shard, wait for workers, sum gradients, gradient norms, optimizer,
// telemetry) and on each worker (message latency, load weights, own shard, write gradients, answer
// latency), with each phase's wall, CPU and run-queue time (how long the thread was ready but had no core)
// and the engine thread's garbage-collection pauses. Prints the first timed step as a timeline and the
// medians over all timed steps. Run: npx tsx scripts/bench/timeline.mts [config|all] [workers] [steps]
import { readdirSync, readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import type { TimelineSpan } from '../../core/training/dataParallel.js';
import { trainBatchParallel } from '../../core/training/dataParallel.js';
import { SeededRandom } from '../../core/training/random.js';
import { selectBackend } from '../../main/engine/backend.js';
import { noteMissingEngineFlags } from '../../main/training/engineFlags.js';
import { BENCH_CONFIGS, BENCH_NAMES, isBenchName } from '../../main/engine/bench/configs.js';
import { benchClipping, benchModel, benchOptimizer } from '../../main/engine/bench/ours.js';
import { benchShardPool } from '../../main/engine/bench/parallel.js';
import { ThreadTimeline } from '../../main/training/shards/timeline.js';

const [name = 'all', workersText = '2', stepsText = '8'] = process.argv.slice(2);
const workers = Math.max(2, Number(workersText));
const steps = Number(stepsText);
await selectBackend('wasm');
noteMissingEngineFlags();
const names = name === 'all' ? [...BENCH_NAMES] : [name].filter(isBenchName);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const f = (x: number | undefined) => (x === undefined ? '   —' : x.toFixed(1).padStart(5));

/** CPU ms of every thread of this process by name and id (/proc/self/task/<id>), Linux. */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const id of readdirSync('/proc/self/task')) {
      try {
        const comm =
          Number(id) === process.pid
            ? 'engine thread'
            : `${readFileSync(`/proc/self/task/${id}/comm`, 'utf8').trim()} ${id}`;
        const cpu = Number(readFileSync(`/proc/self/task/${id}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
        out.set(comm, (out.get(comm) ?? 0) + cpu);
      } catch {
        // a thread that ended meanwhile
      }
    }
  } catch {
    // not Linux
  }
  return out;
}

const gc: { start: number; end: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    gc.push({
      start: performance.timeOrigin + e.startTime,
      end: performance.timeOrigin + e.startTime + e.duration,
    });
}).observe({ entryTypes: ['gc'] });

for (const n of names) {
  const c = BENCH_CONFIGS[n];
  const { model, batch } = benchModel(c);
  const optimizer = benchOptimizer();
  const parameters = model.weights.reduce((s, w) => s + w.variable.size, 0);
  const pool = await benchShardPool(c, workers, 'wasm', parameters);
  const random = new SeededRandom(1);
  // Per thread (0 = engine), per phase: wall, cpu, queued of each timed step.
  const table = new Map<string, { wall: number[]; cpu: number[]; queued: number[] }>();
  const note = (thread: number, s: TimelineSpan) => {
    const key = `${thread === 0 ? 'engine' : `worker ${thread}`}: ${s.phase}`;
    const row = table.get(key) ?? { wall: [], cpu: [], queued: [] };
    row.wall.push(s.end - s.start);
    if (s.cpu !== undefined) row.cpu.push(s.cpu);
    if (s.queued !== undefined) row.queued.push(s.queued);
    table.set(key, row);
  };
  const totals: number[] = [];
  const gcPerStep: number[] = [];
  const byThread = new Map<string, number[]>();
  for (let s = 0; s < steps + 2; s++) {
    const timeline = new ThreadTimeline();
    const started = performance.timeOrigin + performance.now();
    const gcBefore = gc.length;
    const cpuBefore = threadCpu();
    await trainBatchParallel(
      model,
      batch,
      pool,
      optimizer,
      1e-3,
      benchClipping,
      0,
      () => random.next(),
      timeline,
    );
    const ended = performance.timeOrigin + performance.now();
    const cpuAfter = threadCpu();
    if (s >= 2)
      for (const [thread, ms] of cpuAfter)
        byThread.set(thread, [...(byThread.get(thread) ?? []), ms - (cpuBefore.get(thread) ?? 0)]);
    await new Promise((r) => setImmediate(r)); // let the gc observer deliver this step's entries
    if (s < 2) continue;
    totals.push(ended - started);
    gcPerStep.push(gc.slice(gcBefore).reduce((a, g) => a + (g.end - g.start), 0));
    const sendEnd = timeline.spans.find((x) => x.phase === 'send')?.end ?? started;
    const waitEnd = timeline.spans.find((x) => x.phase === 'wait for workers')?.end ?? ended;
    timeline.spans.filter((x) => x.phase !== 'idle').forEach((x) => note(0, x));
    for (const [k, spans] of timeline.helpers) {
      const first = spans[0]!;
      const last = spans[spans.length - 1]!;
      note(k, { phase: 'message to worker', start: sendEnd, end: first.start });
      spans.forEach((x) => note(k, x));
      note(k, { phase: 'answer to engine', start: last.end, end: waitEnd });
    }
    if (s === 2) {
      console.log(`${n}: first timed step, ms from its start (wall; cpu; queued for a core)`);
      const rows: [string, TimelineSpan][] = [
        ...timeline.spans
          .filter((x) => x.phase !== 'idle')
          .map((x): [string, TimelineSpan] => ['engine  ', x]),
        ...[...timeline.helpers].flatMap(([k, spans]) =>
          spans.map((x): [string, TimelineSpan] => [`worker ${k}`, x]),
        ),
      ];
      for (const [who, x] of rows.sort((a, b) => a[1].start - b[1].start))
        console.log(
          `  ${who} ${f(x.start - started)} → ${f(x.end - started)}  ${x.phase.padEnd(18)} ` +
            `wall ${f(x.end - x.start)}  cpu ${f(x.cpu)}  queued ${f(x.queued)}`,
        );
      for (const g of gc.slice(gcBefore))
        console.log(`  engine   ${f(g.start - started)} → ${f(g.end - started)}  gc pause`);
    }
  }
  const ms = (x: number) => x.toFixed(1);
  console.log(
    `${n} (${workers} engines, ${parameters} parameters, ${steps} steps): ` +
      `step median ${ms(median(totals))} ms ` +
      `(min ${ms(Math.min(...totals))}, max ${ms(Math.max(...totals))}); ` +
      `engine gc ${ms(median(gcPerStep))} ms/step`,
  );
  console.log('  medians, ms: phase                              wall    cpu  queued');
  const trend = (k: string) => (table.get(k)?.cpu ?? []).map((x) => x.toFixed(0)).join(' ');
  const ownTrends = `engine: ${trend('engine: own shard')}; worker 1: ${trend('worker 1: own shard')}`;
  console.log(`  own shard CPU by step, ${ownTrends}`);
  for (const [k, v] of table)
    console.log(
      `  ${k.padEnd(42)} ${f(median(v.wall))}  ${v.cpu.length ? f(median(v.cpu)) : '    —'}  ${
        v.queued.length ? f(median(v.queued)) : '    —'
      }`,
    );
  console.log(
    '  process CPU per step by thread name (median ms): ' +
      [...byThread]
        .map(([t, v]) => [t, median(v)] as const)
        .filter(([, v]) => v >= 0.05)
        .map(([t, v]) => `${t} ${v.toFixed(1)}`)
        .join(', '),
  );
  // V8's helper threads (GC, compilation): every thread but the engine's and the busiest other (the
  // worker), per step, to see whether they settle as the run goes on.
  const worker = [...byThread]
    .filter(([t]) => t !== 'engine thread')
    .sort((a, b) => median(b[1]) - median(a[1]))[0]?.[0];
  const helperTrend = totals.map((_, i) =>
    [...byThread]
      .filter(([t]) => t !== 'engine thread' && t !== worker)
      .reduce((a, [, v]) => a + (v[i] ?? 0), 0),
  );
  console.log(`  V8 helper threads' CPU by step: ${helperTrend.map((x) => x.toFixed(0)).join(' ')}`);
  await pool.close();
  optimizer.dispose();
  model.dispose();
}
