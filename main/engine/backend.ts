// The backend ladder (DESIGN.md, Engine): webgpu → tensorflow-gpu → tensorflow → wasm → cpu. The GPU
// and native rungs are optional npm packages loaded by dynamic import, so a machine without them still runs;
// a rung that is installed but broken, or finds no hardware, is reported in one line and the ladder moves on.
// wasm is what runs on machines without a GPU.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BACKENDS, type BackendChoice, type BackendName } from '../../core/api/backends.js';
import { registerEngineKernels } from '../../core/engine/kernels/index.js';
import { checkTfjsInternals } from '../../core/engine/tfjsInternals.js';
import { startWebGpu } from './webgpu.js';
import { enableRelaxedSimd } from './wasmFeatures.js';

export { BACKENDS, isBackendChoice, type BackendChoice, type BackendName } from '../../core/api/backends.js';

export interface BackendReport {
  /** The rung in use, in the studio's words. */
  name: BackendName;
  /** tfjs's own backend name (`tensorflow`, `wasm`, `cpu`). */
  tfjsBackend: string;
  /** One line per rung that was tried and skipped, saying why. */
  fallbacks: string[];
  /** e.g. `wasm (SIMD + FMA, 1 thread)`. */
  description: string;
  /**
   * The run's backend line: the rung, and for webgpu its adapter, e.g. `webgpu (google swiftshader,
   * vulkan)`.
   */
  label: string;
  /** webgpu: the adapter in use, e.g. `google swiftshader, vulkan`. */
  adapter?: string;
  /**
   * When a named rung could not start and the run fell down the ladder: says so for the user, with the
   * reason and the rung in use (a run shows it as a warning, not only in the backend line's note).
   */
  choiceRefused?: string;
}

const require = createRequire(import.meta.url);

/** Loads an optional native binding; the specifier is a variable so bundlers and tsc do not need it. */
async function loadNative(pkg: string): Promise<void> {
  await import(/* @vite-ignore */ pkg);
}

async function tryRung(
  name: BackendName,
  forced: boolean,
): Promise<{ description: string; adapter?: string }> {
  if (name === 'webgpu') return startWebGpu(forced);
  if (name === 'tensorflow-gpu' || name === 'tensorflow') {
    await loadNative(name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
    if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs did not accept the tensorflow backend');
    return { description: name === 'tensorflow-gpu' ? 'tensorflow (CUDA)' : 'tensorflow (native CPU)' };
  }
  if (name === 'wasm') {
    // Node reads the .wasm files from the package's dist folder (a file path works offline). One thread:
    // tfjs 4.22's threaded build does not start under Node as shipped (scripts/bench/wasmThreads.mts
    // says why and works around it), and measured on lm-lstm on a 2-core machine, 2 wasm threads were
    // slower than one engine in three sets of alternating runs and not faster than 2 data-parallel
    // workers (README, Performance). The cores are used by the workers (main/training/shards) instead.
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    setWasmPaths(dist + path.sep);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    // The recurrent loops' products use relaxed SIMD's fused multiply-add where V8 has it
    // (core/engine/wasm/gemm.ts); the backend line says so.
    const fma = enableRelaxedSimd();
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm module failed to initialise');
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return { description: `wasm (${simd ? 'SIMD' : 'no SIMD'}${simd && fma ? ' + FMA' : ''}, 1 thread)` };
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend is missing');
  return { description: 'cpu (plain JavaScript)' };
}

/** Why a rung could not start or run, in one line. */
export function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/Cannot find (module|package)/i.test(text)) return 'not installed';
  return text.split('\n')[0] ?? text;
}

/** The user's words for a named rung that could not start, e.g. a forced webgpu without an adapter. */
export function choiceRefused(choice: BackendName, why: string, inUse: string): string {
  const stop = /[.?!]$/.test(why) ? '' : '.';
  return (
    `The ${choice} backend was chosen but could not start: ${why}${stop} ` +
    `This run trains on ${inUse} instead.`
  );
}

/** Whether a rung that was not asked for by name is left out without trying it. */
export async function passedOver(name: BackendName): Promise<boolean> {
  // Loading the CUDA binding on a machine without CUDA can take seconds; only try it when asked.
  if (name !== 'tensorflow-gpu' || process.env.RNN_STUDIO_TRY_GPU) return false;
  return !(await hasPackage('@tensorflow/tfjs-node-gpu'));
}

function report(name: BackendName, rung: { description: string; adapter?: string }): BackendReport {
  registerEngineKernels(tf.getBackend());
  // Not a reason to try another rung: a tfjs that is not the pinned one is broken on every rung.
  checkTfjsInternals();
  const { description, adapter } = rung;
  const label = adapter ? `${name} (${adapter})` : name;
  return {
    name,
    tfjsBackend: tf.getBackend(),
    fallbacks: [],
    description,
    label,
    ...(adapter ? { adapter } : {}),
  };
}

/**
 * Starts one rung as `auto` would (webgpu on a hardware adapter only), or throws why it cannot. For
 * `auto`'s timing: a rung started again after another one is tfjs's backend again, with its kernels.
 */
export async function startRung(name: BackendName): Promise<BackendReport> {
  return report(name, await tryRung(name, false));
}

/**
 * Picks the backend: `auto` walks the ladder from the top (webgpu only on a hardware adapter); a named
 * rung is tried alone and, if it fails, the ladder continues below it (never above), so `--backend
 * tensorflow` on a machine without it still trains, and says so. `log` receives one line per skipped rung.
 * A training run's `auto` then times the rungs that start (autoBackend.ts).
 */
export async function selectBackend(
  choice: BackendChoice = 'auto',
  log?: (line: string) => void,
): Promise<BackendReport> {
  const start = choice === 'auto' ? 0 : BACKENDS.indexOf(choice);
  const fallbacks: string[] = [];
  let refusal = '';
  for (const name of BACKENDS.slice(start)) {
    if (name !== choice && (await passedOver(name))) continue;
    let rung: { description: string; adapter?: string };
    try {
      rung = await tryRung(name, name === choice);
    } catch (error) {
      if (name === choice) refusal = reason(error);
      const line = `backend ${name} unavailable (${reason(error)}); trying the next one`;
      fallbacks.push(line);
      log?.(line);
      continue;
    }
    const started = { ...report(name, rung), fallbacks };
    return name === choice || choice === 'auto'
      ? started
      : { ...started, choiceRefused: choiceRefused(choice, refusal, started.label) };
  }
  throw new Error(`no tfjs backend could start: ${fallbacks.join('; ')}`);
}

async function hasPackage(pkg: string): Promise<boolean> {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
