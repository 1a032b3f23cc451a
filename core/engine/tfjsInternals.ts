// Every private tfjs API the engine relies on, in one place.
//
// Why: tfjs 4.22 is pinned and treated as frozen (DESIGN.md, Engine), and the fast paths need parts of it
// that are not public: the wasm backend's module (its memory and compiled kernels) and tensor table for the
// per-step recurrent kernels, the engine's `runKernelFunc` for fused ops with several outputs, the raw
// backend read/write calls of the kernels we register ourselves, and the webgpu backend's program runner
// for our fused WGSL recurrent kernels. If a tfjs upgrade moves any of them, it must fail here, loudly
// and at start (`checkTfjsInternals`, run by the backend selection), not as a wrong number or a `cannot
// read property of undefined` deep inside a training step.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendValues, DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { isWasmMemory, type WasmMemory } from './wasm/api.js';

/** The tfjs release whose private fields this module reads. */
export const PINNED_TFJS_VERSION = '4.22.0';

/** A private tfjs API is missing or behaves differently from the pinned release. */
export class TfjsInternalsError extends Error {
  constructor(what: string) {
    super(
      `tfjs internals: ${what}. RNN Studio reads private parts of tfjs ${PINNED_TFJS_VERSION} ` +
        `(tfjs-core ${tf.version_core} is installed); reinstall the pinned version or update ` +
        `core/engine/tfjsInternals.ts.`,
    );
    this.name = 'TfjsInternalsError';
  }
}

/** Throws unless the installed tfjs-core is the pinned release. */
export function checkTfjsVersion(installed: string = tf.version_core): void {
  if (installed !== PINNED_TFJS_VERSION) {
    throw new TfjsInternalsError(`expected tfjs-core ${PINNED_TFJS_VERSION}, found ${installed}`);
  }
}

// ---- the wasm backend ---------------------------------------------------------------------------------

/** The parts of tfjs-backend-wasm 4.22's `BackendWasm` we read. */
interface WasmBackendFields {
  wasm: {
    HEAPF32: Float32Array;
    /** The emscripten module's exports; `memory` is the heap our own wasm kernels import. */
    asm?: { memory?: unknown };
    cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void;
    tfjs: {
      registerTensor(id: number, size: number, memoryOffset: number): void;
      disposeData(id: number): void;
    };
  };
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  /** The next tensor id the backend hands out (ids of aliases come from the same counter). */
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

/** Where a float32 tensor lives in wasm memory: its id in the backend's table and its float index. */
export interface WasmSlot {
  id: number;
  /** Index into `heapF32()` of the first value. */
  offset: number;
  size: number;
}

/** The wasm backend's memory, tensor table and the two compiled kernels the recurrent loops call. */
export interface WasmAccess {
  /** A fresh view of wasm memory: memory can grow (and move) on any allocation, so never keep one. */
  heapF32(): Float32Array;
  /** The tensor's place in wasm memory, or null when its data is held by another backend. */
  slot(t: tf.Tensor): WasmSlot | null;
  /** XNNPACK batched product by tensor id, as the backend's own BatchMatMul kernel calls it. */
  batchMatMul(
    aId: number,
    aShape: Uint8Array,
    aRank: number,
    bId: number,
    bShape: Uint8Array,
    bRank: number,
    transposeA: 0 | 1,
    transposeB: 0 | 1,
    outId: number,
  ): void;
  /** Elementwise logistic sigmoid by tensor id. */
  sigmoid(xId: number, outId: number): void;
  /** Where a tensor made inside a kernel (TensorInfo) lives; null when it is not in wasm memory. */
  slotOf(info: TensorInfo): WasmSlot | null;
  /**
   * Gives `size` floats from float index `offset` of wasm memory a tensor id of their own, so the compiled
   * kernels can take part of a tensor (one row of a batch) without a copy. `release` the id after the call:
   * XNNPACK keeps an operator per weight id until the id is disposed.
   */
  alias(offset: number, size: number): number;
  release(id: number): void;
  /**
   * A new tensor in wasm memory (float32 unless said), not initialised: for kernels that write every
   * value.
   */
  allocate(shape: number[], dtype?: DataType): TensorInfo;
  /** The heap as a WebAssembly.Memory, for the engine's own kernels (`core/engine/wasm`) to import. */
  memory(): WasmMemory;
}

const accessByBackend = new WeakMap<object, WasmAccess>();

function hasWasmFields(backend: unknown): backend is WasmBackendFields {
  const b = backend as Partial<WasmBackendFields> | null;
  return (
    !!b &&
    !!b.wasm &&
    typeof b.wasm.cwrap === 'function' &&
    b.wasm.HEAPF32 instanceof Float32Array &&
    !!b.dataIdMap &&
    typeof b.dataIdMap.get === 'function' &&
    typeof b.wasm.tfjs?.registerTensor === 'function' &&
    typeof b.wasm.tfjs.disposeData === 'function' &&
    typeof b.dataIdNextNumber === 'number' &&
    typeof b.makeOutput === 'function'
  );
}

/**
 * The active wasm backend's internals, or null when the active backend is not wasm. Throws
 * `TfjsInternalsError` when the backend is wasm but its private fields are not where 4.22 keeps them.
 */
export function activeWasm(): WasmAccess | null {
  if (tf.getBackend() !== 'wasm') return null;
  return wasmAccessOf(tf.backend());
}

/** The internals of a wasm backend object; throws `TfjsInternalsError` naming what is missing. */
export function wasmAccessOf(backend: unknown): WasmAccess {
  const cached = accessByBackend.get(backend as object);
  if (cached) return cached;
  if (!hasWasmFields(backend)) {
    throw new TfjsInternalsError(
      'the wasm backend lacks one of `wasm.cwrap`, `wasm.HEAPF32`, `wasm.tfjs.registerTensor`, ' +
        '`wasm.tfjs.disposeData`, `dataIdMap`, `dataIdNextNumber`, `makeOutput`',
    );
  }
  const n = 'number';
  const batchMatMul = backend.wasm.cwrap('BatchMatMul', null, [n, 'array', n, n, 'array', n, n, n, n]);
  const sigmoid = backend.wasm.cwrap('Sigmoid', null, [n, n]);
  const access: WasmAccess = {
    heapF32: () => backend.wasm.HEAPF32,
    slot: (t) => {
      const info = backend.dataIdMap.get(t.dataId);
      return info ? { id: info.id, offset: info.memoryOffset / 4, size: t.size } : null;
    },
    batchMatMul: (...args) => batchMatMul(...args),
    sigmoid: (xId, outId) => sigmoid(xId, outId),
    slotOf: (t) => {
      const info = backend.dataIdMap.get(t.dataId);
      const size = t.shape.reduce((n, d) => n * d, 1);
      return info ? { id: info.id, offset: info.memoryOffset / 4, size } : null;
    },
    alias: (offset, size) => {
      const id = backend.dataIdNextNumber++;
      backend.wasm.tfjs.registerTensor(id, size, offset * 4);
      return id;
    },
    release: (id) => backend.wasm.tfjs.disposeData(id),
    allocate: (shape, dtype = 'float32') => backend.makeOutput(shape, dtype),
    memory: () => {
      const memory = backend.wasm.asm?.memory;
      if (isWasmMemory(memory)) return memory;
      throw new TfjsInternalsError('the wasm backend has no `wasm.asm.memory`');
    },
  };
  accessByBackend.set(backend as object, access);
  return access;
}

// ---- the engine ---------------------------------------------------------------------------------------

/** `Engine.runKernelFunc`'s argument in 4.22: a forward pass and its gradient, recorded as one tape node. */
export interface KernelFuncCall {
  forwardFunc: (backend: unknown, save: (ts: tf.Tensor[]) => void) => tf.Tensor | tf.Tensor[];
  backwardsFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
  inputs: Record<string, tf.Tensor>;
}

/** Runs a forward function as one tape node (the private `engine().runKernelFunc`). */
export function runKernelFunc(call: KernelFuncCall): tf.Tensor | tf.Tensor[] {
  const engine = tf.engine() as unknown as { runKernelFunc?: (p: KernelFuncCall) => tf.Tensor | tf.Tensor[] };
  if (typeof engine.runKernelFunc !== 'function') {
    throw new TfjsInternalsError('tf.engine() has no runKernelFunc');
  }
  return engine.runKernelFunc(call);
}

/**
 * Runs `f` off the gradient tape, as PyTorch's `no_grad` does: a tape node with no inputs, whose forward
 * (run at kernel depth, where tfjs records nothing) is `f`. Backprop never walks into what `f` did, and
 * nothing `f` made is kept for it; the result is a plain tensor.
 */
export function withoutGradient<T extends tf.Tensor>(f: () => T): T {
  return runKernelFunc({ forwardFunc: () => f(), backwardsFunc: () => ({}), inputs: {} }) as T;
}

// ---- raw backend calls for kernels we register ---------------------------------------------------------

/** The backend's values for `dataId`, read synchronously (kernel functions get the backend untyped). */
export function readBackendValues(backend: unknown, dataId: object): BackendValues {
  const raw = backend as Partial<KernelBackend> | null;
  if (typeof raw?.readSync !== 'function') throw new TfjsInternalsError('the backend has no readSync');
  return raw.readSync(dataId);
}

/** A new tensor on `backend` holding `values`: `makeTensorInfo` (cpu, tensorflow) or wasm's `makeOutput`. */
export function makeBackendTensor(
  backend: unknown,
  shape: number[],
  dtype: DataType,
  values: Float32Array | Int32Array,
): TensorInfo {
  const raw = backend as unknown as {
    makeTensorInfo?(shape: number[], dtype: DataType, values?: BackendValues): TensorInfo;
    makeOutput?(shape: number[], dtype: DataType, memoryOffset?: number, values?: BackendValues): TensorInfo;
  };
  if (typeof raw.makeTensorInfo === 'function') return raw.makeTensorInfo(shape, dtype, values);
  if (typeof raw.makeOutput === 'function') return raw.makeOutput(shape, dtype, undefined, values);
  throw new TfjsInternalsError('the backend has neither makeTensorInfo nor makeOutput');
}

// ---- the webgpu backend -------------------------------------------------------------------------------

/** A WGSL program for tfjs-backend-webgpu 4.22's program runner (see ops/device/webgpuPrograms.ts). */
export interface WebGpuProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  uniforms?: string;
  workgroupSize: [number, number, number];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  getUserCode(): string;
}

/**
 * Runs our own WGSL program on the active webgpu backend (`WebGPUBackend.runWebGPUProgram`: tfjs adds
 * the bindings, shape uniforms and entry point) and returns its output as a tensor. With `into`, the
 * program writes into that tensor's buffer instead (tfjs's runner takes an output): for a loop whose
 * dispatches each fill their own part of one tensor (see ops/device/webgpuLoop.ts); it is returned.
 */
export function runWebGpuProgram(
  program: WebGpuProgram,
  inputs: tf.Tensor[],
  uniforms: number[],
  into?: tf.Tensor,
): tf.Tensor {
  const backend = tf.backend() as unknown as {
    runWebGPUProgram?: (
      p: object,
      i: TensorInfo[],
      d: DataType,
      u: { type: 'int32'; data: number[] }[],
      o?: TensorInfo,
    ) => TensorInfo;
  };
  if (typeof backend.runWebGPUProgram !== 'function')
    throw new TfjsInternalsError('the webgpu backend has no runWebGPUProgram');
  const info = backend.runWebGPUProgram(
    program,
    inputs,
    'float32',
    uniforms.map((v) => ({ type: 'int32', data: [v] })),
    into ? { dataId: into.dataId, shape: into.shape, dtype: into.dtype } : undefined,
  );
  return into ?? tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * A float32 tensor of `shape` on the active backend with no values written yet (webgpu: a buffer from the
 * pool; wasm: a block of its memory, holding whatever it held): only for a buffer every element of which
 * is written before anything reads it. No values are made in JS and uploaded, as tf.zeros does.
 */
export function unwrittenTensor(shape: number[]): tf.Tensor {
  const backend = tf.backend() as unknown as {
    makeTensorInfo?: (s: number[], d: DataType) => TensorInfo;
    makeOutput?: (s: number[], d: DataType) => TensorInfo;
  };
  if (typeof backend.makeTensorInfo === 'function')
    return tf.engine().makeTensorFromTensorInfo(backend.makeTensorInfo(shape, 'float32'));
  if (typeof backend.makeOutput === 'function')
    return tf.engine().makeTensorFromTensorInfo(backend.makeOutput(shape, 'float32'));
  throw new TfjsInternalsError('the backend has neither makeTensorInfo nor makeOutput');
}

// ---- self-test ----------------------------------------------------------------------------------------

function near(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > 1e-5 * (1 + Math.abs(b[i]!))) return false;
  return true;
}

/**
 * Checks the version and exercises every private API above on the active backend against the public
 * ops that compute the same thing. Run once after the backend is chosen; throws `TfjsInternalsError`.
 */
export function checkTfjsInternals(): void {
  checkTfjsVersion();
  tf.tidy(() => {
    // runKernelFunc: y = 3x with its gradient, as one node (a given dy: no other op's gradient needed).
    const x = tf.tensor1d([1, -2, 0.5]);
    const grad = tf.grad((v: tf.Tensor) => {
      const y = runKernelFunc({
        forwardFunc: () => tf.mul(v, 3),
        backwardsFunc: (dy) => ({ '0': () => tf.mul(dy as tf.Tensor, 3) }),
        inputs: { '0': v },
      });
      return y as tf.Tensor;
    })(x, tf.tensor1d([1, 10, 100]));
    if (!near(grad.dataSync(), [3, 30, 300]))
      throw new TfjsInternalsError('runKernelFunc gave a wrong gradient');

    // readSync / makeTensorInfo: copy a tensor through the raw backend calls.
    const values = readBackendValues(tf.backend(), x.dataId);
    const info = makeBackendTensor(
      tf.backend(),
      [3],
      'float32',
      Float32Array.from(values as ArrayLike<number>),
    );
    const copy = tf.engine().makeTensorFromTensorInfo(info);
    if (!near(copy.dataSync(), [1, -2, 0.5]))
      throw new TfjsInternalsError('raw backend read/write lost values');

    // wasm: memory view, tensor table and the two compiled kernels, against the public ops.
    const wasm = activeWasm();
    if (!wasm) return;
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const w = tf.tensor2d([0.5, -1, 2, 0, 1, 1], [3, 2]);
    const out = tf.zeros([2, 2]);
    const [sa, sw, so] = [wasm.slot(a), wasm.slot(w), wasm.slot(out)];
    if (!sa || !sw || !so) throw new TfjsInternalsError('dataIdMap does not hold wasm tensors');
    if (!near(wasm.heapF32().subarray(sa.offset, sa.offset + sa.size), [1, 2, 3, 4, 5, 6])) {
      throw new TfjsInternalsError("HEAPF32 at a tensor's memoryOffset does not hold its values");
    }
    if (wasm.memory().buffer !== wasm.heapF32().buffer) {
      throw new TfjsInternalsError('`wasm.asm.memory` is not the memory HEAPF32 views');
    }
    const shape = (s: number[]) => new Uint8Array(new Int32Array(s).buffer);
    wasm.batchMatMul(sa.id, shape([1, 2, 3]), 3, sw.id, shape([1, 3, 2]), 3, 0, 0, so.id);
    const product = wasm.heapF32().slice(so.offset, so.offset + so.size);
    if (!near(product, tf.matMul(a, w).dataSync()))
      throw new TfjsInternalsError('wasm BatchMatMul disagrees');
    const sig = tf.zeros([2, 3]);
    const ss = wasm.slot(sig)!;
    wasm.sigmoid(sa.id, ss.id);
    const sigmoid = wasm.heapF32().slice(ss.offset, ss.offset + ss.size);
    if (!near(sigmoid, tf.sigmoid(a).dataSync())) throw new TfjsInternalsError('wasm Sigmoid disagrees');

    // Aliases and uninitialised outputs: a's second row times w, written into a fresh [1,2] tensor.
    const row = wasm.alias(sa.offset + 3, 3);
    const rowInfo = wasm.allocate([1, 2]);
    const rowOut = wasm.slotOf(rowInfo);
    if (!rowOut) throw new TfjsInternalsError('makeOutput did not make a wasm tensor');
    wasm.batchMatMul(row, shape([1, 1, 3]), 3, sw.id, shape([1, 3, 2]), 3, 0, 0, rowOut.id);
    wasm.release(row);
    const rowProduct = tf.engine().makeTensorFromTensorInfo(rowInfo).dataSync();
    if (!near(rowProduct, [18, 2]))
      throw new TfjsInternalsError('a wasm alias tensor id gave a wrong product');
  });
}
