// Where a training step's wall time goes on the webgpu rung: the engine's step of a bench config (as
// `rnn-studio bench` trains it) or plain tfjs-layers', broken down by GPU program (ours and tfjs's own),
// with what each costs on the host (recording, uniforms, bind groups, pipeline compilation) and, where
// the adapter offers timestamp queries, on the device; plus queue submits, buffer creations, bind groups,
// pipeline compilations and readbacks per step, and a V8 CPU profile of the timed steps by function.
//
// Run (SwiftShader here; any adapter Dawn offers elsewhere):
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
//     npx tsx scripts/bench/webgpuProfile.mts [lm-lstm|tag-bilstm|cls-gru|s2s-attn] [scale] [steps] [layers]
// (defaults: lm-lstm 0.25 2; `layers` profiles tfjs-layers instead of the engine). Not part of any test.
//
// Device time: with timestamp queries, one extra step runs with tfjs's own per-program timers (each
// program its own compute pass, so that step is slower and only its split counts). Without them, the
// device's share shows as the gap between the step's wall time and the host time of its programs.
import { Session } from 'node:inspector/promises';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
import { BENCH_CONFIGS, isBenchName, scaledConfig, sizesOf } from '../../main/engine/bench/configs.js';
import { oursStep } from '../../main/engine/bench/ours.js';
import { layersStep } from '../../main/engine/bench/layers.js';

const [name = 'lm-lstm', scaleText = '0.25', stepsText = '2', which = 'engine'] = process.argv.slice(2);
if (!isBenchName(name)) throw new Error(`unknown config ${name}`);
const steps = Number(stepsText);
const report = await selectBackend('webgpu');
if (report.name !== 'webgpu') throw new Error(`no webgpu here: ${report.fallbacks.join('; ')}`);
const c = scaledConfig(BENCH_CONFIGS[name], Number(scaleText));

interface Backend {
  runWebGPUProgram: (
    program: { shaderKey: string; constructor: { name: string } },
    ...a: unknown[]
  ) => unknown;
  submitQueue: () => void;
  read: (...a: unknown[]) => Promise<unknown>;
  pipelineCache: Record<string, unknown>;
  device: { createBuffer: (...a: unknown[]) => unknown; createBindGroup: (...a: unknown[]) => unknown };
  bufferManager: { acquireBuffer: (...a: unknown[]) => unknown };
  supportTimestampQuery: boolean;
  activeTimers: { name: string; query: Promise<number> }[] | null;
}
const backend = tf.backend() as unknown as Backend;

const counts = { submits: 0, buffersCreated: 0, buffersAcquired: 0, bindGroups: 0, compiles: 0, reads: 0 };
interface Row {
  calls: number;
  hostMs: number;
  compiles: number;
  compileMs: number;
  deviceMs: number;
}
const rows = new Map<string, Row>();
const rowOf = (key: string) => {
  let r = rows.get(key);
  if (!r) rows.set(key, (r = { calls: 0, hostMs: 0, compiles: 0, compileMs: 0, deviceMs: 0 }));
  return r;
};
/** A program's name: tfjs's program class, or our fused kernels' key up to its first `_`. */
const programName = (p: { shaderKey: string; constructor: { name: string } }) =>
  p.constructor.name !== 'Object' ? p.constructor.name : `ours:${p.shaderKey.split('_')[0]}`;

/** PROFILE_STACKS=Program,… prints where each shape of those programs is called from (our code only). */
const stacks = new Map<string, string>();
const root = new URL('../../', import.meta.url).pathname;
Error.stackTraceLimit = 80; // tfjs's own frames come first
const callers = () =>
  (new Error().stack ?? '')
    .split('\n')
    .filter((l) => l.includes(root) && !/node_modules|tfjs-|webgpuProfile/.test(l))
    .slice(0, 3)
    .map((l) => l.trim().replace(/^at /, '').replace(root, ''))
    .join(' < ');
let programMs = 0;
let timing = false; // the extra step with timers: its device times only, not its host times or calls
const run = backend.runWebGPUProgram.bind(backend);
backend.runWebGPUProgram = (program, ...rest) => {
  const label = programName(program);
  const cached = Object.keys(backend.pipelineCache).length;
  const timers = backend.activeTimers?.length ?? 0;
  const t0 = performance.now();
  const out = run(program, ...rest);
  const ms = performance.now() - t0;
  if (timing) {
    // tfjs names its timers by the program's class ("Object" for ours): relabel, with the shapes.
    if (backend.activeTimers && backend.activeTimers.length > timers) {
      const shapes = (rest[0] as { shape: number[] }[]).map((t) => `[${t.shape.join(',')}]`).join(' ');
      const detail = `${label} ${shapes} -> [${(out as { shape: number[] }).shape.join(',')}]`;
      backend.activeTimers.at(-1)!.name = `${label}\n${detail}`;
      if (process.env.PROFILE_STACKS?.split(',').includes(label)) stacks.set(detail, callers());
    }
    return out;
  }
  programMs += ms;
  const r = rowOf(label);
  r.calls += 1;
  r.hostMs += ms;
  if (Object.keys(backend.pipelineCache).length > cached) {
    r.compiles += 1;
    r.compileMs += ms;
    counts.compiles += 1;
  }
  return out;
};
const count = <K extends keyof typeof counts>(target: object, method: string, key: K) => {
  const holder = target as Record<string, (...a: unknown[]) => unknown>;
  const original = holder[method]!.bind(target);
  holder[method] = (...a: unknown[]) => {
    counts[key] += 1;
    return original(...a);
  };
};
count(backend, 'submitQueue', 'submits');
count(backend, 'read', 'reads');
count(backend.device, 'createBuffer', 'buffersCreated');
count(backend.device, 'createBindGroup', 'bindGroups');
count(backend.bufferManager, 'acquireBuffer', 'buffersAcquired');

const runner = which === 'layers' ? await layersStep(c) : oursStep(c);
console.log(`${name} ${which} on ${report.description}, ${sizesOf(c)}, ${steps} timed steps`);
for (let i = 0; i < 2; i++) await runner.step(); // warm-up: shader compilation, buffer pool
rows.clear();
for (const k of Object.keys(counts)) counts[k as keyof typeof counts] = 0;
programMs = 0;

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 500 });
await session.post('Profiler.start');
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < steps; i++) await runner.step();
const wall = (performance.now() - t0) / steps;
const cpu = process.cpuUsage(cpu0);
const { profile } = await session.post('Profiler.stop');
session.disconnect();

const per = (n: number) => (n / steps).toFixed(1);
console.log(
  `wall ${wall.toFixed(0)} ms/step; ` +
    `process CPU ${((cpu.user + cpu.system) / 1000 / steps).toFixed(0)} ms/step ` +
    `(all threads: the emulator's workers included); host time inside runWebGPUProgram ` +
    `${(programMs / steps).toFixed(0)} ms/step`,
);
console.log(
  `per step: ${per(counts.submits)} queue submits, ${per(counts.buffersCreated)} GPU buffers created, ` +
    `${per(counts.buffersAcquired)} acquired from the pool, ${per(counts.bindGroups)} bind groups, ` +
    `${per(counts.compiles)} pipeline compilations, ${per(counts.reads)} reads`,
);

// Device time per program: one more step with tfjs's timers (timestamp queries), where offered.
if (backend.supportTimestampQuery) {
  backend.activeTimers = [];
  timing = true;
  await runner.step();
  const timers = backend.activeTimers;
  backend.activeTimers = null;
  const calls = new Map<string, { n: number; ms: number }>();
  for (const t of timers) {
    const [label, detail] = t.name.split('\n') as [string, string];
    const ms = await t.query;
    rowOf(label).deviceMs += ms * steps; // scaled like the others
    const d = calls.get(detail) ?? { n: 0, ms: 0 };
    calls.set(detail, { n: d.n + 1, ms: d.ms + ms });
  }
  console.log('\nheaviest programs by shape (device ms in the timed step; count):');
  for (const [k, d] of [...calls.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15))
    console.log(
      `${d.ms.toFixed(1).padStart(9)} ms ${String(d.n).padStart(4)}x  ${k}` +
        (stacks.has(k) ? `\n            from ${stacks.get(k)}` : ''),
    );
} else {
  console.log('(no timestamp-query on this adapter: device time per program not measured)');
}

const table = [...rows.entries()].sort((a, b) => b[1].hostMs + b[1].deviceMs - a[1].hostMs - a[1].deviceMs);
console.log(
  '\nprogram                                 calls/step  host ms/step  compiles/step  device ms/step',
);
for (const [k, r] of table.slice(0, 25)) {
  console.log(
    `${k.padEnd(40)}${per(r.calls).padStart(10)}${per(r.hostMs).padStart(14)}` +
      `${per(r.compiles).padStart(15)}` +
      `${(backend.supportTimestampQuery ? per(r.deviceMs) : '-').padStart(16)}`,
  );
}

// The V8 profile by self time: which JavaScript (and native calls from it) the host thread spent on.
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const byId = new Map<number, Node>(profile.nodes.map((n) => [n.id, n as Node]));
const self = new Map<string, number>();
const deltas = profile.timeDeltas ?? [];
(profile.samples ?? []).forEach((id, i) => {
  const f = byId.get(id)!.callFrame;
  const file = f.url.split('/node_modules/').at(-1)!.split('/').slice(-2).join('/');
  const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log(`\nhost thread by self time (V8 samples, ${(total / steps).toFixed(0)} ms/step sampled):`);
for (const [k, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20))
  console.log(`${per(ms).padStart(9)} ms  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
await runner.dispose();
