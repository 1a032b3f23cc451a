// Concat, Slice and SplitV on the wasm backend as moves inside wasm memory, in place of tfjs-wasm 4.22's.
//
// Why: tfjs-wasm's versions are JS loops that allocate on every call. Concat makes a subarray view per row
// and input (the largest allocation of a tag-bilstm step on the engine thread: ~780 kB of views per step,
// from the weight gradients' [x | h | 1] rows and the bidirectional merge); Slice first copies its whole
// input out of wasm memory (a fresh ArrayBuffer for the garbage collector) and then a view per row; SplitV
// (the gradient of every concat) does that once per part. Garbage per step is what keeps V8's collector
// and its helper threads busy, and with one engine per core they take the cores from the engines.
// These move the same bytes with `copyWithin` on the wasm heap: nothing is allocated but the output.
// float32 and int32 only (4-byte elements); any other dtype goes to tfjs's own kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { wasmAccessOf, type WasmAccess } from '../tfjsInternals.js';

type Heap = Float32Array | Int32Array;

const product = (dims: readonly number[], from = 0, to = dims.length) => {
  let n = 1;
  for (let i = from; i < to; i++) n *= dims[i]!;
  return n;
};

const fourBytes = (dtype: string) => dtype === 'float32' || dtype === 'int32';

/** A view of wasm memory in the tensor's element type (int32 bits must not pass through a float). */
function heapOf(wasm: WasmAccess, dtype: string): Heap {
  const f32 = wasm.heapF32();
  return dtype === 'int32' ? new Int32Array(f32.buffer, f32.byteOffset, f32.length) : f32;
}

/** Copies n elements inside the heap; short runs element by element (a native call costs more). */
function move(heap: Heap, to: number, from: number, n: number): void {
  if (n >= 16) heap.copyWithin(to, from, from + n);
  else for (let k = 0; k < n; k++) heap[to + k] = heap[from + k]!;
}

function offsetOf(wasm: WasmAccess, t: TensorInfo): number {
  const slot = wasm.slotOf(t);
  if (!slot) throw new Error(`wasm kernels: tensor [${t.shape}] is not in wasm memory`);
  return slot.offset;
}

/** Concatenation along `axis` of tensors equal in every other dimension. */
export function concatInWasm(wasm: WasmAccess, inputs: TensorInfo[], axis: number): TensorInfo {
  const first = inputs[0]!;
  const rank = first.shape.length;
  const outShape = [...first.shape];
  outShape[axis] = inputs.reduce((n, t) => n + t.shape[axis]!, 0);
  const out = wasm.allocate(outShape, first.dtype);
  const parts = inputs.filter((t) => product(t.shape) > 0);
  if (parts.length === 0) return out;
  const outer = product(outShape, 0, axis);
  const innerOut = product(outShape, axis, rank);
  const inner = parts.map((t) => product(t.shape, axis, rank));
  const sources = parts.map((t) => offsetOf(wasm, t));
  const target = offsetOf(wasm, out);
  const heap = heapOf(wasm, first.dtype); // after the output's allocation, which can grow memory
  for (let b = 0; b < outer; b++) {
    let o = target + b * innerOut;
    for (let i = 0; i < parts.length; i++) {
      const n = inner[i]!;
      move(heap, o, sources[i]! + b * n, n);
      o += n;
    }
  }
  return out;
}

/** x[begin : begin + size] (every entry of begin and size resolved, no -1). */
export function sliceInWasm(wasm: WasmAccess, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = wasm.allocate(size, x.dtype);
  if (product(size) === 0) return out;
  const rank = x.shape.length;
  // Trailing dimensions taken whole join the innermost run: one copy per run of contiguous elements.
  let k = rank - 1;
  while (k > 0 && begin[k] === 0 && size[k] === x.shape[k]) k--;
  const run = size[k]! * product(x.shape, k + 1, rank);
  const strides = x.shape.map((_, d) => product(x.shape, d + 1, rank));
  let from = offsetOf(wasm, x);
  for (let d = 0; d <= k; d++) from += begin[d]! * strides[d]!;
  let to = offsetOf(wasm, out);
  const heap = heapOf(wasm, x.dtype);
  // An odometer over the leading dimensions 0..k-1.
  const index = new Array<number>(k).fill(0);
  const runs = product(size, 0, k);
  for (let r = 0; r < runs; r++) {
    move(heap, to, from, run);
    to += run;
    for (let d = k - 1; d >= 0; d--) {
      from += strides[d]!;
      if (++index[d]! < size[d]!) break;
      from -= size[d]! * strides[d]!;
      index[d] = 0;
    }
  }
  return out;
}

function concatKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    const first = inputs[0];
    if (!first || !fourBytes(first.dtype) || inputs.some((t) => t.dtype !== first.dtype))
      return original(args);
    const axis = tf.util.parseAxisParam((args.attrs as { axis: number | number[] }).axis, first.shape)[0]!;
    return concatInWasm(wasmAccessOf(args.backend), inputs, axis);
  };
}

function sliceKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (!fourBytes(x.dtype)) return original(args);
    const { begin, size } = args.attrs as { begin: number | number[]; size: number | number[] };
    const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [
      number[],
      number[],
    ];
    return sliceInWasm(wasmAccessOf(args.backend), x, begin_, size_);
  };
}

function splitKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (!fourBytes(x.dtype)) return original(args);
    const attrs = args.attrs as { numOrSizeSplits: number | number[]; axis: number | number[] };
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits, axis);
    const wasm = wasmAccessOf(args.backend);
    const begin = x.shape.map(() => 0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[axis] = s;
      const part = sliceInWasm(wasm, x, begin, size);
      begin[axis]! += s;
      return part;
    });
  };
}

const ours = new WeakSet<KernelFunc>();

/** Replaces wasm's Concat, Slice and SplitV (once; tfjs's own stay behind them for other dtypes). */
export function registerWasmCopies(backendName: string): void {
  if (backendName !== 'wasm') return;
  const replace = (name: string, make: (original: KernelFunc) => KernelFunc) => {
    const config = tf.getKernel(name, 'wasm');
    if (!config || ours.has(config.kernelFunc)) return;
    const kernelFunc = make(config.kernelFunc);
    ours.add(kernelFunc);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...config, kernelFunc });
  };
  replace('Concat', concatKernel);
  replace('Slice', sliceKernel);
  replace('SplitV', splitKernel);
}
