// Truncated backpropagation through time: a long batch is cut along time into windows of `steps`; each
// window is one update, and the recurrent state the model ended in is carried (as a constant, so no
// gradient flows back past the window) into the next. Only per-step tensors are cut; a per-sequence
// target (classification, regression) has no meaning per window, so such batches are not cut.
import type { Batch, BatchTensor } from '../data/batch.js';

const PER_STEP: (keyof Batch)[] = ['tokens', 'features', 'mask'];

/** Time steps of a batch whose labels are per step (tagging, language model), else null. */
export function perStepLength(batch: Batch): number | null {
  const time = (batch.tokens ?? batch.features)?.shape[1];
  if (
    time === undefined ||
    !batch.labels ||
    batch.labels.shape.length !== 2 ||
    batch.labels.shape[1] !== time
  ) {
    return null;
  }
  return time;
}

function sliceTime(tensor: BatchTensor, start: number, end: number): BatchTensor {
  const [b = 0, t = 0, ...rest] = tensor.shape;
  const inner = rest.reduce((n, d) => n * d, 1);
  const width = end - start;
  const Ctor = tensor.dtype === 'int32' ? Int32Array : Float32Array;
  const data = new Ctor(b * width * inner);
  for (let i = 0; i < b; i++) {
    data.set(tensor.data.subarray((i * t + start) * inner, (i * t + end) * inner), i * width * inner);
  }
  return { dtype: tensor.dtype, shape: [b, width, ...rest], data };
}

/** The batch cut into windows of `steps` along time (one window when off or not per-step). */
export function timeWindows(batch: Batch, steps: number): Batch[] {
  const time = perStepLength(batch);
  if (steps <= 0 || time === null || time <= steps) return [batch];
  const windows: Batch[] = [];
  for (let start = 0; start < time; start += steps) {
    const end = Math.min(time, start + steps);
    const window: Batch = { ...batch };
    for (const role of [...PER_STEP, 'labels'] as (keyof Batch)[]) {
      const tensor = batch[role];
      if (tensor) window[role] = sliceTime(tensor, start, end);
    }
    windows.push(window);
  }
  return windows;
}
