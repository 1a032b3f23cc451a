// Throughput of one engine on tfjs-backend-wasm's threaded SIMD build (XNNPACK's thread pool inside
// one wasm instance), to compare with data-parallel worker threads (`rnn-studio bench --workers 2`).
// Prints the bench's JSON line with `wasm_threads` added. Not part of any test.
// Run: npx tsx scripts/bench/wasmThreads.mts [threads] [config] [steps]
//
// tfjs 4.22 does not run the threaded build in Node as shipped; three things stand in the way, each
// worked around here (for measuring only):
// 1. `WASM_HAS_MULTITHREAD_SUPPORT` is hard-wired false under Node (flags_wasm.ts); set it to true.
// 2. The pthread worker script and the Emscripten main script are handed over as Blob URLs, which
//    node:worker_threads refuses (`ERR_WORKER_PATH ... Received "blob:nodedata:..."`, thrown from
//    `PThread.allocateUnusedWorker`) and which the worker's importScripts (fs.readFileSync) cannot read:
//    the Blob texts are captured and written to files. The main script is the factory's source text,
//    which refers to names of the bundle around it (rollup's `require$$N`, tslib helpers,
//    `commonjsGlobal`, `_scriptDir`): they are defined in front of it.
// 3. The compiled module caps XNNPACK's pool at `emscripten_num_logical_cores() / 2` (os.cpus() in Node),
//    so on a 2-core machine `setThreadsCount(2)` still gives 1 thread: os.cpus() is doubled during init.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerEngineKernels } from '../../core/engine/kernels/index.js';
import { checkTfjsInternals } from '../../core/engine/tfjsInternals.js';
import { isBenchName } from '../../main/engine/bench/configs.js';
import { runBench } from '../../main/engine/bench/run.js';

const [threadsText = '2', config = 'lm-lstm', stepsText = '3'] = process.argv.slice(2);
const threads = Number(threadsText);
if (!isBenchName(config)) throw new Error(`unknown config ${config}`);
const require = createRequire(import.meta.url);
const bundle = require.resolve('@tensorflow/tfjs-backend-wasm');
const MAIN_SCRIPT = 'var WasmBackendModuleThreadedSimd';

/** The bundle's downlevelling helpers (__values, __read, __spreadArray) that the factory's text uses. */
function bundleHelpers(): string {
  const lines = readFileSync(bundle, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('function __values('));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('/**'));
  return lines.slice(start, end).join('\n');
}

/** Turns the two Blobs the threaded build makes into files the pthread workers can load. */
function blobsAsFiles(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rnn-studio-wasm-threads-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const OriginalBlob = globalThis.Blob;
  const createObjectURL = URL.createObjectURL.bind(URL);
  let mainText: string | null = null;
  let workerFile: string | null = null;
  globalThis.Blob = class extends OriginalBlob {
    text_: string;
    constructor(parts: string[], options?: BlobPropertyBag) {
      super(parts, options);
      this.text_ = parts.join('');
      if (this.text_.startsWith(MAIN_SCRIPT)) mainText = this.text_;
    }
  } as unknown as typeof Blob;
  URL.createObjectURL = (blob: Blob) => {
    const text = (blob as Blob & { text_?: string }).text_;
    if (text === undefined || text.startsWith(MAIN_SCRIPT) || mainText === null) return createObjectURL(blob);
    // Called once per pool worker: write the files once (a rewrite races a worker reading them).
    if (workerFile) return workerFile;
    const mainFile = path.join(dir, 'main.cjs');
    const prelude =
      `var commonjsGlobal = globalThis, _scriptDir = ${JSON.stringify(mainFile)};\n` +
      `var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'),` +
      ` require$$4 = require('os');\n${bundleHelpers()}\n`;
    writeFileSync(
      mainFile,
      `${prelude}${mainText};\nglobal.WasmBackendModuleThreadedSimd = ` + 'WasmBackendModuleThreadedSimd;',
    );
    workerFile = path.join(dir, 'worker.cjs');
    const worker = text
      .replace('if(typeof e.data.urlOrBlob=="string")', 'if(true)')
      .replace('importScripts(e.data.urlOrBlob)', `importScripts(${JSON.stringify(mainFile)})`);
    writeFileSync(workerFile, worker);
    return workerFile;
  };
  return () => {
    globalThis.Blob = OriginalBlob;
    URL.createObjectURL = createObjectURL;
  };
}

setWasmPaths(path.dirname(bundle) + path.sep);
const cpus = os.cpus;
let restore = () => {};
if (threads > 0) {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  restore = blobsAsFiles();
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]!);
} else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
// Workers are unref'd: keep the loop alive until the module has started.
const keepAlive = setInterval(() => {}, 1000);
const ok = await tf.setBackend('wasm');
clearInterval(keepAlive);
os.cpus = cpus;
restore();
if (!ok) throw new Error('the wasm module failed to initialise');
registerEngineKernels('wasm');
checkTfjsInternals();
const actual = threads > 0 ? getThreadsCount() : 1;
const log = (line: string) => process.stderr.write(`${line}\n`);
log(`wasm, ${threads > 0 ? 'threaded SIMD build' : 'SIMD build'}, XNNPACK threads: ${actual}`);
const [result] = await runBench([config], {
  steps: Number(stepsText),
  workers: 1,
  backend: 'wasm',
  skipLayers: true,
  skipTorch: true,
  log,
});
process.stdout.write(`${JSON.stringify({ ...result, wasm_threads: actual })}\n`);
process.exit(0);
