// The ceiling the matrix-product kernel puts on lm-lstm (B64 T100 V65 H256): single-thread GFLOP/s of
// tfjs-wasm's matMul (XNNPACK, 128-bit wasm SIMD) and of PyTorch (torch.set_num_threads(1)) on the exact
// products of one training step, the share of an engine step spent in the wasm BatchMatMul kernel (a V8
// CPU profile: samples under the module's BatchMatMul export), and from these the best engine-vs-PyTorch
// ratio this kernel allows with 2 workers (every other cost gone, perfect scaling). Times are the
// CPU time (getrusage, /proc/thread-self/schedstat; PyTorch: time.thread_time), so a busy machine still
// gives the kernel's own speed. Run: npx tsx scripts/bench/gemmCeiling.mts [repeats]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
import { BENCH_CONFIGS, tokensPerStep } from '../../main/engine/bench/configs.js';
import { oursStep } from '../../main/engine/bench/ours.js';

const repeats = Number(process.argv[2] ?? 7);
const c = BENCH_CONFIGS['lm-lstm'];
const { B, T, V, H } = c;
const N = B * T;
const G = 4 * H;

/** One product a training step makes: [M,K]·[K,N], `count` times per step, and whose step makes it. */
interface Product {
  what: string;
  M: number;
  K: number;
  N: number;
  count: number;
  /** The engine computes it (false: PyTorch only, e.g. the one-hot input projection the engine skips). */
  engine: boolean;
  /** A new right operand every call (XNNPACK packs it again), as for a weight gradient. */
  freshRight: boolean;
}

// The engine's products (core/engine/ops/lstm.ts, sequence.ts, matmul.ts), one-hot input: no input
// projection (a kernel-row lookup) and its kernel gradient a row sum. PyTorch's LSTM on the CPU projects
// the input of all steps in one product and computes the input weights' gradient as one.
const products: Product[] = [
  { what: 'input projection x·W (one-hot)', M: N, K: V, N: G, count: 1, engine: false, freshRight: false },
  { what: 'recurrent h·U, per step', M: B, K: H, N: G, count: T, engine: true, freshRight: false },
  { what: 'recurrent backward dG·Uᵀ, per step', M: B, K: G, N: H, count: T, engine: true, freshRight: false },
  { what: 'weight gradient dGᵀ·[h|1]', M: G, K: N, N: H + 1, count: 1, engine: true, freshRight: true },
  { what: 'input weight gradient dGᵀ·x', M: G, K: N, N: V, count: 1, engine: false, freshRight: true },
  { what: 'vocab projection h·Wv', M: N, K: H, N: V, count: 1, engine: true, freshRight: false },
  { what: 'vocab backward dY·Wvᵀ', M: N, K: V, N: H, count: 1, engine: true, freshRight: false },
  { what: 'vocab weight gradient hᵀ·dY', M: H, K: N, N: V, count: 1, engine: true, freshRight: true },
];
const flops = (p: Product) => 2 * p.M * p.K * p.N;

/**
 * This thread's CPU time in ms (Linux). The kernel brings the counter up to date only at scheduler ticks
 * and switches, so it times long spans only (the engine steps); a single product is timed by the
 * process's CPU time (getrusage, microseconds), this script being the only busy thread.
 */
const threadCpu = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
const processCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await selectBackend('wasm');

/** Median CPU ms of one tfjs-wasm matMul of `p`'s shape. */
function timeWasm(p: Product): number {
  const a = tf.randomNormal([p.M, p.K]) as tf.Tensor2D;
  let b = tf.randomNormal([p.K, p.N]) as tf.Tensor2D;
  const calls = Math.max(1, Math.round(2e8 / flops(p))); // about 0.2 GFLOP per timing
  const times: number[] = [];
  for (let r = 0; r < repeats + 1; r++) {
    let ms = 0;
    for (let i = 0; i < calls; i++) {
      if (p.freshRight) {
        const next = tf.clone(b);
        b.dispose();
        b = next as tf.Tensor2D;
      }
      const start = processCpu();
      const out = tf.matMul(a, b);
      ms += processCpu() - start;
      out.dispose();
    }
    if (r > 0) times.push(ms / calls); // the first round warms up (operator creation, JIT)
  }
  a.dispose();
  b.dispose();
  return median(times);
}

/** Median CPU ms of one PyTorch matmul per shape, one thread. */
function timeTorch(): number[] {
  const script = `
import json, sys, time, torch
torch.set_num_threads(1)
shapes = json.loads(sys.argv[1]); repeats = int(sys.argv[2]); out = []
for M, K, N, fresh in shapes:
    a = torch.randn(M, K); b = torch.randn(K, N)
    calls = max(1, round(2e8 / (2 * M * K * N))); times = []
    for r in range(repeats + 1):
        ms = 0.0
        for i in range(calls):
            if fresh: b = b.clone()
            t0 = time.thread_time(); y = a @ b; ms += (time.thread_time() - t0) * 1000
        if r > 0: times.append(ms / calls)
    times.sort(); out.append(times[len(times) // 2])
print(json.dumps(out))
`;
  const shapes = JSON.stringify(products.map((p) => [p.M, p.K, p.N, p.freshRight]));
  const stdout = execFileSync('/usr/bin/python3', ['-c', script, shapes, String(repeats)], {
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as number[];
}

/** Function index of the wasm module's BatchMatMul export (the CPU profile names functions by index). */
function batchMatMulIndex(): number {
  const dist = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  const b = readFileSync(path.join(dist, 'tfjs-backend-wasm-simd.wasm'));
  let i = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    for (;;) {
      const x = b[i++]!;
      r += (x & 0x7f) * 2 ** s;
      s += 7;
      if (x < 0x80) return r;
    }
  };
  while (i < b.length) {
    const id = b[i++]!;
    const size = leb();
    const end = i + size;
    if (id === 7) {
      for (let n = leb(); n > 0; n--) {
        const len = leb();
        const name = b.subarray(i, i + len).toString('utf8');
        i += len;
        const kind = b[i++]!;
        const index = leb();
        if (kind === 0 && name === 'BatchMatMul') return index;
      }
    }
    i = end;
  }
  throw new Error('no BatchMatMul export in the wasm module');
}

/** CPU ms per engine step and the share of it under BatchMatMul (V8 CPU profile of `steps` steps). */
async function engineShare(steps: number): Promise<{ stepMs: number; share: number }> {
  const runner = oursStep(c);
  for (let i = 0; i < 3; i++) await runner.step();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const start = threadCpu();
  for (let i = 0; i < steps; i++) await runner.step();
  const stepMs = (threadCpu() - start) / steps;
  const { profile } = (await session.post('Profiler.stop')) as {
    profile: {
      nodes: { id: number; callFrame: { functionName: string }; children?: number[] }[];
      samples: number[];
      timeDeltas: number[];
    };
  };
  session.disconnect();
  runner.dispose();
  const target = `wasm-function[${batchMatMulIndex()}]`;
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const ch of n.children ?? []) parent.set(ch, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const under = new Map<number, boolean>();
  const isUnder = (id: number): boolean => {
    if (under.has(id)) return under.get(id)!;
    const n = byId.get(id)!;
    const p = parent.get(id);
    const v = n.callFrame.functionName === target || (p !== undefined && isUnder(p));
    under.set(id, v);
    return v;
  };
  let inKernel = 0;
  let busy = 0;
  profile.samples.forEach((id, k) => {
    const name = byId.get(id)!.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') return;
    const dt = profile.timeDeltas[k] ?? 0;
    busy += dt;
    if (isUnder(id)) inKernel += dt;
  });
  return { stepMs, share: inKernel / busy };
}

const wasmMs = products.map(timeWasm);
const torchMs = timeTorch();
const { stepMs, share } = await engineShare(4);
const tokens = tokensPerStep(c);
const torchStep = JSON.parse(
  execFileSync(
    '/usr/bin/python3',
    [
      path.resolve('scripts/bench/torch_bench.py'),
      'lm-lstm',
      '--json',
      '--threads',
      '1',
      '--steps',
      '5',
      '--cpu-time',
    ],
    { encoding: 'utf8' },
  ),
) as { tokens_per_s: number; ms_per_step: number };

console.log(`lm-lstm (B${B} T${T} V${V} H${H}), one thread each, CPU time, median of ${repeats}:`);
console.log(
  'product                                  shape               per step  wasm GFLOP/s  torch GFLOP/s',
);
let engineKernelMs = 0;
let torchKernelMs = 0;
products.forEach((p, i) => {
  const gw = flops(p) / (wasmMs[i]! * 1e6);
  const gt = flops(p) / (torchMs[i]! * 1e6);
  if (p.engine) engineKernelMs += wasmMs[i]! * p.count;
  torchKernelMs += torchMs[i]! * p.count;
  const shape = `[${p.M},${p.K}]·[${p.K},${p.N}]`.padEnd(20);
  const count = `${p.count}x${p.engine ? '' : ' (torch)'}`.padEnd(9);
  console.log(
    `${p.what.padEnd(40)} ${shape} ${count} ${gw.toFixed(1).padStart(12)}  ${gt.toFixed(1).padStart(13)}`,
  );
});
const engineFlops = products.filter((p) => p.engine).reduce((s, p) => s + flops(p) * p.count, 0);
const torchFlops = products.reduce((s, p) => s + flops(p) * p.count, 0);
const gflops = (f: number, ms: number) => (f / ms / 1e6).toFixed(1);
console.log(
  `engine's products: ${(engineFlops / 1e9).toFixed(2)} GFLOP/step, ` +
    `${engineKernelMs.toFixed(0)} ms of wasm matMul (${gflops(engineFlops, engineKernelMs)} GFLOP/s); ` +
    `PyTorch's: ${(torchFlops / 1e9).toFixed(2)} GFLOP, ` +
    `${torchKernelMs.toFixed(0)} ms (${gflops(torchFlops, torchKernelMs)} GFLOP/s)`,
);
const torchShare = ((torchKernelMs / torchStep.ms_per_step) * 100).toFixed(0);
console.log(
  `engine step (one engine): ${stepMs.toFixed(0)} ms CPU, ${(share * 100).toFixed(0)}% of it in ` +
    `BatchMatMul (${(stepMs * share).toFixed(0)} ms); PyTorch step, 1 thread: ${torchStep.ms_per_step} ms ` +
    `CPU (${torchStep.tokens_per_s} tok/s), its products ${torchShare}% of it`,
);
// The bound: 2 workers, perfect scaling, nothing but the products (at the isolated kernel's speed).
const bestEngine = tokens / (engineKernelMs / 2 / 1000);
// Also keeping today's other costs: (step − products + products at the kernel's speed) / 2.
const withRest = ((1 - share) * stepMs + engineKernelMs) / 2;
console.log(
  `ceiling with 2 workers (products only, perfect scaling): ${Math.round(bestEngine)} tok/s = ` +
    `${(bestEngine / torchStep.tokens_per_s).toFixed(2)}x PyTorch on 1 thread; ` +
    `keeping today's non-product share: ${withRest.toFixed(0)} ms/step = ` +
    `${(tokens / (withRest / 1000) / torchStep.tokens_per_s).toFixed(2)}x`,
);
