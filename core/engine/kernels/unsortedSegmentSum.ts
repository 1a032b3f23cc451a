// tfjs 4.22's wasm backend has no UnsortedSegmentSum kernel, and gather's gradient (the embedding
// gradient) calls it. This registers a plain-JS implementation for any backend that lacks one: sum rows
// into segments in a typed-array loop. On wasm it reads and writes wasm memory in place (the output
// allocated there and zeroed): copying the inputs out and the result in moved 6.6 MB per cls-gru step
// through fresh arrays (its [64·200, 128] gradient into a 10,000-row table). Elsewhere: read the inputs
// once, write one tensor out.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { makeBackendTensor, readBackendValues, wasmAccessOf } from '../tfjsInternals.js';

/**
 * Sums x's rows ([N, ...rest]) into numSegments rows by segment id; ids outside [0, numSegments) drop.
 * Into `out` when given (it must hold zeros), else a new array.
 */
export function segmentSumRows(
  x: Float32Array,
  ids: Int32Array,
  rowSize: number,
  numSegments: number,
  out: Float32Array = new Float32Array(numSegments * rowSize),
): Float32Array {
  for (let n = 0; n < ids.length; n++) {
    const s = ids[n]!;
    if (s < 0 || s >= numSegments) continue;
    const src = n * rowSize;
    const dst = s * rowSize;
    for (let k = 0; k < rowSize; k++) out[dst + k]! += x[src + k]!;
  }
  return out;
}

function makeConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'UnsortedSegmentSum',
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      if (backendName === 'wasm' && x.dtype === 'float32' && segmentIds.dtype === 'int32')
        return sumInWasm(backend, x, segmentIds, numSegments);
      const xs = Float32Array.from(readBackendValues(backend, x.dataId) as ArrayLike<number>);
      const ids = Int32Array.from(readBackendValues(backend, segmentIds.dataId) as ArrayLike<number>);
      // segmentIds may cover the leading axes of x; the remaining axes form one row.
      const rowSize = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
      const out = segmentSumRows(xs, ids, rowSize, numSegments);
      const shape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      return makeBackendTensor(backend, shape, 'float32', out);
    },
  };
}

function sumInWasm(backend: unknown, x: TensorInfo, segmentIds: TensorInfo, numSegments: number): TensorInfo {
  const wasm = wasmAccessOf(backend);
  const n = segmentIds.shape.reduce((a, b) => a * b, 1);
  const rowSize = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
  const out = wasm.allocate([numSegments, ...x.shape.slice(segmentIds.shape.length)]);
  const [xs, ids, sums] = [wasm.slotOf(x), wasm.slotOf(segmentIds), wasm.slotOf(out)];
  if (!xs || !ids || !sums) throw new Error('UnsortedSegmentSum: a tensor is not in wasm memory');
  const heap = wasm.heapF32(); // after the output's allocation, which can grow memory
  const heapIds = new Int32Array(heap.buffer, heap.byteOffset + ids.offset * 4, n);
  const target = heap.subarray(sums.offset, sums.offset + numSegments * rowSize).fill(0);
  segmentSumRows(heap.subarray(xs.offset, xs.offset + n * rowSize), heapIds, rowSize, numSegments, target);
  return out;
}

/** Registers the kernel on `backendName` unless that backend already has one. */
export function registerUnsortedSegmentSum(backendName: string): void {
  if (tf.getKernel('UnsortedSegmentSum', backendName)) return;
  tf.registerKernel(makeConfig(backendName));
}
