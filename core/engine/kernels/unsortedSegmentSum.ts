// tfjs 4.22's wasm backend has no UnsortedSegmentSum kernel, and gather's gradient (the embedding
// gradient) calls it. This registers a plain-JS implementation for any backend that lacks one: read the
// inputs once, sum rows into segments in a typed-array loop, write one tensor out.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { makeBackendTensor, readBackendValues } from '../tfjsInternals.js';

/** Sums x's rows ([N, ...rest]) into numSegments rows by segment id; ids outside [0, numSegments) drop. */
export function segmentSumRows(
  x: Float32Array,
  ids: Int32Array,
  rowSize: number,
  numSegments: number,
): Float32Array {
  const out = new Float32Array(numSegments * rowSize);
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

/** Registers the kernel on `backendName` unless that backend already has one. */
export function registerUnsortedSegmentSum(backendName: string): void {
  if (tf.getKernel('UnsortedSegmentSum', backendName)) return;
  tf.registerKernel(makeConfig(backendName));
}
