// Runs the benchmark: each config trained for a few steps with our engine (on one engine, and on N
// data-parallel workers when asked) and with plain tfjs-layers on the chosen backend, and with PyTorch
// (scripts/bench/torch_bench.py, at 1 and 2 threads, the better counts) when python3-torch is present.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { countDeviceWork, type DeviceCounts, deviceCounts } from '../counters.js';
import { BENCH_CONFIGS, type BenchName, scaledConfig, sizesOf, tokensPerStep } from './configs.js';
import { layersStep } from './layers.js';
import { benchMachine } from './machine.js';
import { watchOtherLoad } from './otherLoad.js';
import { benchModel, oursStep } from './ours.js';
import { parallelStep } from './parallel.js';

export interface BenchResult {
  config: BenchName;
  backend: string;
  /** Engines training data-parallel (this thread + worker threads). */
  workers: number;
  /** Our engine with `workers` workers. */
  engine_tokens_per_s: number | null;
  /** Our engine alone (the `scaling` baseline). */
  engine_1_worker_tokens_per_s: number | null;
  /** engine_tokens_per_s over engine_1_worker_tokens_per_s (1 with one worker). */
  scaling: number | null;
  tfjs_layers_tokens_per_s: number | null;
  /** The better of PyTorch at 1 and 2 threads (1 only with --cpu-time). */
  pytorch_tokens_per_s: number | null;
  pytorch_threads: number | null;
  /** How steps were timed: wall clock (the default) or process CPU time (--cpu-time). */
  clock: 'wall' | 'cpu';
  /**
   * Our engine's figures: the median step time over at least this many timed steps (the fewer of its
   * 1-worker and N-worker runs), after a warm-up; each run times at least --steps steps and 5 s.
   */
  timed_steps: number;
  /**
   * Cores other processes kept busy while our engine's steps were timed (the larger of the 1-worker and
   * N-worker spans; Linux only, else null): near 0 on a quiet machine.
   */
  other_cores: number | null;
  /** The processor and its logical cores (machine.ts), e.g. `AMD EPYC, 2 cores`. */
  machine: string;
  /** webgpu: the adapter, e.g. `google swiftshader, vulkan` (tfjs-layers ran on the same one). */
  adapter?: string;
  /** webgpu: GPU programs dispatched per timed engine step (one engine). */
  dispatches_per_step?: number;
  /** webgpu: device → host reads per timed engine step (one engine). */
  readbacks_per_step?: number;
  /** With --scale: the factor and the sizes measured (PyTorch is not measured then). */
  scale?: number;
  sizes?: string;
}

export interface BenchOptions {
  /** Timed steps per engine (the median counts) after a warm-up (tfjs-layers: half, at least 1). */
  steps: number;
  /** Engines training data-parallel (1 = one engine). */
  workers: number;
  /** The backend selected (worker threads start the same). */
  backend: string;
  /** webgpu: the adapter in use; the engine's dispatches and readbacks per step are counted too. */
  adapter?: string;
  /** Skip plain tfjs-layers (slow: seconds per step). */
  skipLayers?: boolean;
  skipTorch?: boolean;
  /**
   * Time by process CPU time instead of the wall clock, for all three engines (each runs on one thread),
   * so a machine shared with other work still gives comparable figures.
   */
  cpuTime?: boolean;
  /** Widths times this factor (configs.ts scaledConfig); PyTorch's script runs full sizes only. */
  scale?: number;
  /** Progress lines (to stderr in the CLI). */
  log?: (line: string) => void;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

type Runner = { step: () => void | Promise<void>; dispose: () => void | Promise<void> };

/**
 * Warm-up before timing: at least WARMUP_STEPS steps and WARMUP_MS, and beyond that up to STEADY_STEPS
 * steps while under MAX_WARMUP_MS. A fresh engine (a worker thread above all: its own JIT and wasm
 * instance) runs its first steps slower; at tag-bilstm's size a new worker's shard took 10–25% more CPU
 * for its first 6–8 steps. And V8 keeps optimizing for a few hundred steps: functions called once per
 * step (the optimizer's pass, the gradient report) only get hot late, and their optimized code takes
 * 10–60 ms each to compile. One tag-bilstm shard on one thread (2026-12-05, --trace-opt) compiled for
 * 406 ms over steps 50–100, 256 ms over 150–200 and 51–112 ms per 50 steps from step 250 on. That work
 * runs on V8's helper threads, which with two engines on two cores take it from the engines, so a short
 * warm-up timed the compiler more on 2 workers than on 1. A training run lasts thousands of steps; the
 * figures are its steady state.
 */
const WARMUP_STEPS = 3;
const WARMUP_MS = 4000;
const STEADY_STEPS = 250;
const MAX_WARMUP_MS = 20000;

/** A warm-up: at least `steps` steps and `ms`, then up to `steady` steps while under `maxMs`. */
export interface Warmup {
  steps: number;
  ms: number;
  steady: number;
  maxMs: number;
}

/** Whether a warm-up that has run `done` steps for `elapsed` ms goes on. */
export function warmingUp(w: Warmup, done: number, elapsed: number): boolean {
  return done < w.steps || elapsed < w.ms || (done < w.steady && elapsed < w.maxMs);
}

/**
 * Timed steps: at least the steps asked for and this long (at most MAX_TIMED_STEPS). On this kind of
 * virtual machine a fixed piece of arithmetic pinned to one core runs 10–100% slower now and then, in
 * spells of up to about 1.6 s with no other process running (6–17% of 80 ms chunks over 45 s,
 * measured 2026-12-05; the cause lies outside this machine's processes); a median over a window
 * several times that long is the typical step, where 7 steps of a fast config (under 0.5 s) could all
 * fall in one spell.
 */
const TIMED_MS = 5000;
const MAX_TIMED_STEPS = 500;

/** How a figure was timed, for the progress line: median of n steps and their range. */
export interface StepTimes {
  median: number;
  min: number;
  max: number;
  warmup: number;
  steps: number;
}

/** The median of step times (the middle one; the mean of the two middle ones for an even count). */
export function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One engine to time: its progress-line label and how to build it. */
interface Timed {
  label: string;
  make: () => Runner | Promise<Runner>;
}

/**
 * Tokens per second of each runner's `step` from its median step time, after a warm-up (WARMUP_*: the
 * first steps grow wasm memory and warm the JIT); null (with a log line) for one that throws. The
 * median, not the mean: one step that another process crowds off the cores moves a mean of a few steps
 * by a third.
 */
async function measure(
  timed: Timed[],
  tokens: number,
  steps: number,
  clock: () => number,
  log?: (l: string) => void,
  perStep?: (counts: DeviceCounts) => void,
  warmup: Warmup = { steps: WARMUP_STEPS, ms: WARMUP_MS, steady: STEADY_STEPS, maxMs: MAX_WARMUP_MS },
  timedMs = TIMED_MS,
): Promise<{ tokens: number | null; otherCores: number | null; timed: number }[]> {
  const others: (number | null)[] = timed.map(() => null);
  const runners: (Runner | null)[] = timed.map(() => null);
  const times: number[][] = timed.map(() => []);
  const warm: number[] = timed.map(() => 0);
  const failed = (k: number, error: unknown) => {
    log?.(
      `${timed[k]!.label}: failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
    const r = runners[k];
    runners[k] = null;
    return r?.dispose();
  };
  try {
    for (let k = 0; k < timed.length; k++) {
      try {
        runners[k] = await timed[k]!.make();
      } catch (error) {
        await failed(k, error);
      }
    }
    // One runner after the other, each warmed up right before its timed steps. Taking their steps in
    // turn was tried: the garbage collection and compilation a one-engine step leaves to V8's helper
    // threads then runs during the next data-parallel step, which has no core to spare for it
    // (s2s-attn, quiet machine: 84 ms/step in turn, 70 ms alone).
    let counts: DeviceCounts | null = null;
    for (let k = 0; k < timed.length; k++) {
      try {
        const r = runners[k];
        if (!r) continue;
        const warmStart = performance.now();
        while (warmingUp(warmup, warm[k]!, performance.now() - warmStart)) {
          await r.step();
          warm[k]! += 1;
        }
        const counted = deviceCounts();
        const otherLoad = watchOtherLoad();
        const timedStart = performance.now();
        while (
          times[k]!.length < steps ||
          (performance.now() - timedStart < timedMs && times[k]!.length < MAX_TIMED_STEPS)
        ) {
          const start = clock();
          await r.step();
          times[k]!.push(clock() - start);
        }
        others[k] = otherLoad();
        const after = deviceCounts();
        counts ??= {
          dispatches: (after.dispatches - counted.dispatches) / times[k]!.length,
          readbacks: (after.readbacks - counted.readbacks) / times[k]!.length,
        };
      } catch (error) {
        await failed(k, error);
      }
    }
    if (counts) perStep?.(counts);
    return timed.map(({ label }, k) => {
      if (!runners[k]) return { tokens: null, otherCores: null, timed: 0 };
      const other = others[k] ?? null;
      const t: StepTimes = {
        median: medianOf(times[k]!),
        min: Math.min(...times[k]!),
        max: Math.max(...times[k]!),
        warmup: warm[k]!,
        steps: times[k]!.length,
      };
      const plural = t.steps > 1 ? 's' : '';
      log?.(
        `${label}: ${t.median.toFixed(0)} ms/step (median of ${t.steps} timed step${plural}, ` +
          `${t.min.toFixed(0)}–${t.max.toFixed(0)}, after ${t.warmup} warm-up` +
          `${other !== null ? `; other processes meanwhile: ${other.toFixed(2)} cores` : ''})`,
      );
      return { tokens: Math.round(tokens / (t.median / 1000)), otherCores: other, timed: t.steps };
    });
  } finally {
    for (const r of runners) await r?.dispose();
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
const TORCH_SCRIPT = path.resolve(here, '../../../scripts/bench/torch_bench.py');

/** PyTorch tokens/s per config from the reference script, or null where Python/torch is missing. */
export async function torchTokensPerSecond(
  names: BenchName[],
  steps: number,
  cpuTime: boolean,
  log?: (l: string) => void,
  threads = 1,
): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = Object.fromEntries(names.map((n) => [n, null]));
  // Debian's python3-torch lives under /usr/bin/python3; a pyenv or venv python3 first on PATH may lack it.
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      const { stdout } = await promisify(execFile)(
        python,
        [
          TORCH_SCRIPT,
          ...names,
          '--json',
          '--steps',
          String(steps),
          '--threads',
          String(threads),
          ...(cpuTime ? ['--cpu-time'] : []),
        ],
        { timeout: 600_000 },
      );
      for (const line of stdout.split('\n')) {
        if (!line.trim()) continue;
        const r = JSON.parse(line) as { config: string; tokens_per_s: number; ms_per_step?: number };
        out[r.config] = r.tokens_per_s;
        if (r.ms_per_step !== undefined)
          log?.(
            `  pytorch (${threads} thread${threads > 1 ? 's' : ''}): ${Math.round(r.ms_per_step)} ms/step`,
          );
      }
      return out;
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      if (python === 'python3')
        log?.(
          `pytorch: not measured ` +
            `(${/No module named 'torch'/.test(text) ? 'python3-torch not installed' : text.split('\n')[0]})`,
        );
    }
  }
  return out;
}

/** PyTorch's better figure at 1 and 2 threads (CPU time adds up over threads: 1 thread only then). */
async function bestTorch(
  name: BenchName,
  steps: number,
  cpuTime: boolean,
  log?: (l: string) => void,
): Promise<{ tokens: number | null; threads: number | null }> {
  let best: { tokens: number | null; threads: number | null } = { tokens: null, threads: null };
  for (const threads of cpuTime ? [1] : [1, 2]) {
    const tokens = (await torchTokensPerSecond([name], steps, cpuTime, log, threads))[name] ?? null;
    if (tokens !== null && (best.tokens === null || tokens > best.tokens)) best = { tokens, threads };
  }
  return best;
}

export async function runBench(names: BenchName[], options: BenchOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const name of names) {
    const scale = options.scale ?? 1;
    const c = scaledConfig(BENCH_CONFIGS[name], scale);
    const tokens = tokensPerStep(c);
    const scaled = scale !== 1 ? `, sizes scaled by ${scale}: ${sizesOf(c)}` : '';
    options.log?.(`${name} (${c.what})${scaled}, ${tokens} tokens/step`);
    const clock = options.cpuTime ? cpuMs : () => performance.now();
    if (options.adapter) countDeviceWork();
    let device: DeviceCounts | null = null;
    // With workers, the one-engine figure (the scaling baseline) and theirs step one model, one after
    // the other (each with its own optimizer; the workers load its weights every step).
    const shared = options.workers > 1 ? benchModel(c) : undefined;
    const engines: Timed[] = [{ label: `  engine, 1 worker`, make: () => oursStep(c, shared) }];
    if (options.workers > 1)
      engines.push({
        label: `  engine, ${options.workers} workers`,
        make: () => parallelStep(c, options.workers, options.backend, shared),
      });
    // Device counts only on webgpu, where workers do not run: the one engine's.
    const [first, second] = await measure(engines, tokens, options.steps, clock, options.log, (counts) => {
      device = counts;
      if (options.adapter)
        options.log?.(`  engine: ${counts.dispatches} dispatches, ${counts.readbacks} readbacks per step`);
    });
    shared?.model.dispose();
    const one = first?.tokens ?? null;
    const many = options.workers > 1 ? (second?.tokens ?? null) : one;
    const loads = [first?.otherCores, second?.otherCores].filter((x): x is number => typeof x === 'number');
    // PyTorch right after our engine, config by config, so both see the machine in the same state (a
    // shared machine's load drifts over the minutes a full run takes).
    if (scale !== 1 && !options.skipTorch)
      options.log?.('  pytorch: not measured (its script runs full sizes)');
    const torch =
      options.skipTorch || scale !== 1
        ? { tokens: null, threads: null }
        : await bestTorch(name, Math.max(options.steps, 3), options.cpuTime ?? false, options.log);
    // tfjs-layers takes seconds per step: fewer steps, two of warm-up.
    const layerSteps = Math.max(1, Math.floor(options.steps / 2));
    const layers = options.skipLayers
      ? null
      : ((
          await measure(
            [{ label: `  tfjs-layers`, make: () => layersStep(c) }],
            tokens,
            layerSteps,
            clock,
            options.log,
            undefined,
            { steps: 2, ms: 0, steady: 0, maxMs: 0 },
            0,
          )
        )[0]?.tokens ?? null);
    results.push({
      config: name,
      backend: tf.getBackend(),
      workers: options.workers,
      engine_tokens_per_s: many,
      engine_1_worker_tokens_per_s: one,
      scaling: many !== null && one ? Math.round((many / one) * 100) / 100 : null,
      tfjs_layers_tokens_per_s: layers,
      pytorch_tokens_per_s: torch.tokens,
      pytorch_threads: torch.threads,
      clock: options.cpuTime ? 'cpu' : 'wall',
      timed_steps: Math.min(...[first, second].flatMap((e) => (e?.tokens ? [e.timed] : [options.steps]))),
      other_cores: loads.length ? Math.max(...loads) : null,
      machine: benchMachine(),
      ...(options.adapter && device
        ? {
            adapter: options.adapter,
            dispatches_per_step: (device as DeviceCounts).dispatches,
            readbacks_per_step: (device as DeviceCounts).readbacks,
          }
        : {}),
      ...(scale !== 1 ? { scale, sizes: sizesOf(c) } : {}),
    });
  }
  return results;
}

function ratio(a: number | null, b: number | null): string {
  return a && b ? `${(a / b).toFixed(2)}x` : '—';
}

/** The side-by-side table the CLI prints without --json. */
export function formatBench(results: BenchResult[]): string {
  const head = [
    'config',
    'backend',
    'workers',
    'engine tok/s',
    'scaling',
    'tfjs-layers tok/s',
    'pytorch tok/s',
    'vs layers',
    'vs pytorch',
    'other cores',
  ];
  const rows = results.map((r) => [
    r.scale !== undefined ? `${r.config} ×${r.scale} (${r.sizes})` : r.config,
    r.backend,
    String(r.workers),
    String(r.engine_tokens_per_s ?? '—'),
    r.scaling !== null ? `${r.scaling.toFixed(2)}x` : '—',
    String(r.tfjs_layers_tokens_per_s ?? '—'),
    r.pytorch_tokens_per_s !== null ? `${r.pytorch_tokens_per_s} (${r.pytorch_threads}t)` : '—',
    ratio(r.engine_tokens_per_s, r.tfjs_layers_tokens_per_s),
    ratio(r.engine_tokens_per_s, r.pytorch_tokens_per_s),
    r.other_cores !== null ? r.other_cores.toFixed(2) : '—',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const table = [head, ...rows].map((r) => r.map((v, i) => v.padEnd(widths[i]!)).join('  ')).join('\n');
  const machines = [...new Set(results.map((r) => r.machine))];
  return `${table}\n${machines.length ? `machine: ${machines.join('; ')}\n` : ''}`;
}
