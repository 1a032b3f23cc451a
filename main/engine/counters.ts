// Counts what a training step costs a device backend: kernel dispatches (GPU programs run; on webgpu each
// is one compute pass entry) and readbacks (device → host reads, `data()` or `dataSync()`), by wrapping
// the active backend's own methods. For `rnn-studio bench` and the tests; costs one counter increment.
import * as tf from '@tensorflow/tfjs-core';

export interface DeviceCounts {
  dispatches: number;
  readbacks: number;
}

interface CountedBackend {
  read?: (...args: unknown[]) => unknown;
  readSync?: (...args: unknown[]) => unknown;
  runWebGPUProgram?: (...args: unknown[]) => unknown;
  /** webgpu: per tensor, `values` while the data is still host-side (not uploaded yet). */
  tensorMap?: { get(dataId: unknown): { values?: unknown } | undefined };
}

const counts: DeviceCounts = { dispatches: 0, readbacks: 0 };
const wrapped = new WeakSet<object>();

type Method = 'read' | 'readSync' | 'runWebGPUProgram';

/**
 * Wraps a backend method to count its calls. A read of data still on the host side (webgpu keeps a
 * tensor made from host values there until a kernel needs it; small ops may run on the CPU) is no
 * device round trip and is not counted.
 */
function wrap(backend: CountedBackend, method: Method, counter: keyof DeviceCounts): void {
  const original = backend[method];
  if (typeof original !== 'function') return;
  backend[method] = function (this: unknown, ...args: unknown[]) {
    const hostSide = counter === 'readbacks' && backend.tensorMap?.get(args[0])?.values != null;
    if (!hostSide) counts[counter] += 1;
    return original.apply(this, args);
  };
}

/**
 * Starts counting on the active backend (once per backend instance). Dispatches are counted on webgpu
 * only (its `runWebGPUProgram`); elsewhere `dispatches` stays 0.
 */
export function countDeviceWork(): void {
  const backend = tf.backend() as unknown as CountedBackend;
  if (wrapped.has(backend)) return;
  wrapped.add(backend);
  wrap(backend, 'read', 'readbacks');
  wrap(backend, 'readSync', 'readbacks');
  wrap(backend, 'runWebGPUProgram', 'dispatches');
}

/** The counts so far (a copy). */
export function deviceCounts(): DeviceCounts {
  return { ...counts };
}

/** Work done by `f` (the difference of the counts around it). */
export async function countedWork<T>(f: () => Promise<T> | T): Promise<{ value: T } & DeviceCounts> {
  const before = deviceCounts();
  const value = await f();
  const after = deviceCounts();
  return {
    value,
    dispatches: after.dispatches - before.dispatches,
    readbacks: after.readbacks - before.readbacks,
  };
}
