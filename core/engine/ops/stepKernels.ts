// The two per-step kernels of the fused recurrent loops — the [rows,inner]·W product and an elementwise
// sigmoid — on buffers that live for the whole sequence.
//
// Why: a time loop calls them twice or three times per step, hundreds of times per batch. Through the
// ordinary tfjs API each call makes a tensor from a Float32Array (malloc + copy into wasm memory), runs
// the kernel through the engine's bookkeeping, and reads the result back (another copy and a fresh
// ArrayBuffer for the garbage collector). On the wasm backend we instead keep one input and one output
// tensor per kernel for the whole loop, write and read them in place through views of wasm memory, and
// call the backend's own compiled kernels (XNNPACK) by tensor id — the same code tfjs runs, minus the
// copies. Other backends (cpu, tensorflow) take the ordinary path, which is also the reference the tests
// compare the fast path with.
//
// Views of wasm memory are invalidated when the memory grows (an allocation inside any kernel can grow
// it), so `input()` and `run()` hand out fresh views and callers never keep one across a `run()`.
import * as tf from '@tensorflow/tfjs-core';
import { activeWasm, unwrittenTensor, type WasmAccess, type WasmSlot } from '../tfjsInternals.js';
import {
  COLS,
  ROWS,
  packPanels,
  packRows,
  packedColumnsSize,
  packedProduct,
  packedRowsSize,
  wasmGemm,
  type WasmGemm,
} from '../wasm/gemm.js';

export interface StepKernel {
  /** The input buffer to fill before `run()` (a view: do not keep it across `run()`). */
  input(): Float32Array;
  /** Runs the kernel on the input; the result view is valid until the next call on any kernel. */
  run(): Float32Array;
  /** The last run's result again, as a fresh view (after other kernels ran). */
  output(): Float32Array;
  dispose(): void;
}

/** The wasm backend's internals when it is the active backend and the fast path is on, else null. */
export function wasmBackend(): WasmAccess | null {
  return fastPathDisabled ? null : activeWasm();
}

let fastPathDisabled = false;
/** For tests: run the ordinary tfjs path even on wasm, to compare the two. */
export function setStepFastPath(enabled: boolean): void {
  fastPathDisabled = !enabled;
}

function slot(wasm: WasmAccess, t: tf.Tensor): WasmSlot {
  const info = wasm.slot(t);
  if (!info) throw new Error('step kernel: tensor data is not on the wasm backend');
  return info;
}

function view(wasm: WasmAccess, s: WasmSlot): Float32Array {
  return wasm.heapF32().subarray(s.offset, s.offset + s.size);
}

const shapeBytes = (shape: number[]) => new Uint8Array(new Int32Array(shape).buffer);

/**
 * A kernel over an input buffer of `inputSize` values and an output tensor of `outShape`. Wasm: both live
 * in wasm memory for the whole loop and `call(input, output)` runs the compiled kernel in place.
 * Elsewhere: `ordinary` runs the usual tfjs op on a tensor made from the buffer. `owned` are tensors the
 * wasm call uses besides its input and output, disposed with the kernel.
 */
function makeKernel(
  inputShape: number[],
  outShape: number[],
  call: ((wasm: WasmAccess, input: WasmSlot, output: WasmSlot) => void) | null,
  ordinary: (input: tf.Tensor) => tf.Tensor,
  owned: tf.Tensor[] = [],
): StepKernel {
  const size = (shape: number[]) => shape.reduce((n, d) => n * d, 1);
  const wasm = call ? wasmBackend() : null;
  if (!wasm || !call) {
    const a = new Float32Array(size(inputShape));
    let last: Float32Array = new Float32Array(size(outShape));
    return {
      input: () => a,
      run: () => {
        const at = tf.tensor(a, inputShape);
        const out = ordinary(at);
        last = out.dataSync() as Float32Array;
        at.dispose();
        out.dispose();
        return last;
      },
      output: () => last,
      dispose: () => {},
    };
  }
  const a = tf.tensor(new Float32Array(size(inputShape)), inputShape);
  const out = tf.tensor(new Float32Array(size(outShape)), outShape);
  const sa = slot(wasm, a);
  const so = slot(wasm, out);
  return {
    input: () => view(wasm, sa),
    run: () => {
      call(wasm, sa, so);
      return view(wasm, so);
    },
    output: () => view(wasm, so),
    dispose: () => {
      a.dispose();
      out.dispose();
      tf.dispose(owned);
    },
  };
}

let ownProductDisabled = false;
/**
 * For tests and benchmarks: use XNNPACK's products on wasm (steps and weight gradients) even where the
 * engine's own kernel runs.
 */
export function setOwnStepProduct(enabled: boolean): void {
  ownProductDisabled = !enabled;
}

/** The wasm backend and the engine's own product kernel on its memory, when both are in use. */
export function ownProducts(): { wasm: WasmAccess; kernel: WasmGemm } | null {
  const wasm = ownProductDisabled ? null : wasmBackend();
  const kernel = wasm ? wasmGemm(wasm.memory()) : null;
  return wasm && kernel ? { wasm, kernel } : null;
}

/**
 * rows×inner · w [inner, cols], one call per time step; with `transposed`, rows×inner · wᵀ for w
 * [cols, inner] (a backward loop's product by the recurrent kernel's transpose, packed straight from the
 * kernel: a tfjs transpose first took the loop's set-up from 0.04 to 0.23 ms at [128,512], whatever the
 * batch). `w` must stay alive until dispose(). On wasm with relaxed SIMD the engine's own kernel runs it
 * (core/engine/wasm/gemm.ts: w packed once here, the input packed per call), else XNNPACK's.
 */
export function stepProduct(rows: number, inner: number, w: tf.Tensor2D, transposed = false): StepKernel {
  const [wInner, cols] = transposed ? [w.shape[1], w.shape[0]] : w.shape;
  if (wInner !== inner)
    throw new Error(
      `step product: weight is [${w.shape}], expected ${transposed ? `[…, ${inner}]` : `[${inner}, …]`}`,
    );
  const reference = (a: tf.Tensor) => tf.matMul(a as tf.Tensor2D, w, false, transposed);
  const owned = ownProducts();
  if (owned) {
    const { wasm, kernel: own } = owned;
    // Both are written whole (zero padding included) before they are read.
    const packedW = unwrittenTensor([packedColumnsSize(inner, cols)]);
    const packedInput = unwrittenTensor([packedRowsSize(rows, inner)]);
    const sw = slot(wasm, packedW);
    const si = slot(wasm, packedInput);
    // B's panels of 8 columns: from w's columns, or from the rows of w = Bᵀ.
    if (transposed) packRows(own, wasm.heapF32(), slot(wasm, w).offset, cols, inner, COLS, sw.offset);
    else packPanels(own, wasm.heapF32(), slot(wasm, w).offset, inner, cols, COLS, sw.offset);
    return makeKernel(
      [rows, inner],
      [rows, cols],
      (k, input, out) => {
        packRows(own, k.heapF32(), input.offset, rows, inner, ROWS, si.offset);
        packedProduct(own, si.offset * 4, sw.offset * 4, inner, out.offset * 4, cols, rows, cols);
      },
      reference,
      [packedW, packedInput],
    );
  }
  const wasm = wasmBackend();
  const wId = wasm ? slot(wasm, w).id : -1;
  const aShape = shapeBytes([1, rows, inner]);
  const wShape = shapeBytes([1, ...w.shape]);
  const flip = transposed ? 1 : 0;
  return makeKernel(
    [rows, inner],
    [rows, cols],
    wasm ? (k, a, out) => k.batchMatMul(a.id, aShape, 3, wId, wShape, 3, 0, flip, out.id) : null,
    reference,
  );
}

/** Elementwise logistic sigmoid of `size` values, one call per time step. */
export function stepSigmoidKernel(size: number): StepKernel {
  return makeKernel(
    [size],
    [size],
    (k, x, out) => k.sigmoid(x.id, out.id),
    (x) => tf.sigmoid(x),
  );
}

/**
 * A float32 tensor's values to read right now: on wasm a view of the backend's own memory (no copy),
 * elsewhere its data. Read-only, and only until the next tfjs call (an allocation can move wasm memory).
 */
export function readNow(t: tf.Tensor): Float32Array {
  const wasm = wasmBackend();
  // A tensor made before the backend switched lives elsewhere: dataSync fetches it from there.
  const s = wasm && t.dtype === 'float32' ? wasm.slot(t) : null;
  return s ? view(wasm!, s) : (t.dataSync() as Float32Array);
}
