// tfjs 4.22's wasm backend has no UnsortedSegmentSum kernel, and gather's gradient (the embedding
// gradient) calls it. This registers a plain-JS implementation for any backend that lacks one: read the
// inputs once, sum rows into segments in a typed-array loop, write one tensor out.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo, TypedArray } from '@tensorflow/tfjs-core';

/** The two backend methods we need; every tfjs backend has them. */
interface RawBackend {
  readSync(dataId: object): TypedArray | unknown;
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values?: TypedArray): TensorInfo;
  /** wasm's name for the same thing. */
  makeOutput?(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: TypedArray): TensorInfo;
}

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
      const raw = backend as unknown as RawBackend;
      const xs = Float32Array.from(raw.readSync(x.dataId) as ArrayLike<number>);
      const ids = Int32Array.from(raw.readSync(segmentIds.dataId) as ArrayLike<number>);
      // segmentIds may cover the leading axes of x; the remaining axes form one row.
      const rowSize = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
      const out = segmentSumRows(xs, ids, rowSize, numSegments);
      const shape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      if (raw.makeTensorInfo) return raw.makeTensorInfo(shape, 'float32', out);
      if (raw.makeOutput) return raw.makeOutput(shape, 'float32', undefined, out);
      throw new Error(`backend ${backendName} cannot create tensors for UnsortedSegmentSum`);
    },
  };
}

/** Registers the kernel on `backendName` unless that backend already has one. */
export function registerUnsortedSegmentSum(backendName: string): void {
  if (tf.getKernel('UnsortedSegmentSum', backendName)) return;
  tf.registerKernel(makeConfig(backendName));
}
