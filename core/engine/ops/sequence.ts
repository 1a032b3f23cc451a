// Shared plumbing of the fused recurrent ops (elman.ts, lstm.ts, gru.ts). Each op runs its whole time loop
// inside one tf.customGrad: the input projection for all steps is one matMul, the per-step recurrent
// product h·U is one backend matMul on a [B,H] buffer, the gate math is a plain loop over Float32Arrays
// (no per-step slice/unstack, which costs milliseconds on wasm), and the weight gradients of all steps
// are one matMul each. Layouts are batch-major like the Batch tensors: index (b*T + t).
import * as tf from '@tensorflow/tfjs-core';
// Gradients of the ordinary ops around ours (slice, add, matMul …).
import '../gradients.js';

/** Options every fused recurrent op takes. */
export interface RecurrentOptions {
  /** [B*T] batch-major, 1 = real step. A padded step leaves state and output unchanged, gets no gradient. */
  mask?: Float32Array | null;
  /**
   * [B*T] ids in [0, In) when x is exactly oneHot(ids) (a one-hot embedding straight into the layer): the
   * input projection becomes a row lookup and the kernel gradient a row sum, with no matMul at all.
   */
  oneHotIds?: Int32Array | null;
  /** Run from the last step to the first (the backward half of a bidirectional layer). Outputs stay
   * aligned with the input positions. */
  goBackwards?: boolean;
  /** [B*H] variational recurrent dropout: multiplies h_{t-1} before the recurrent product, same at all steps. */
  recurrentDropMask?: Float32Array | null;
  /**
   * Zero tensor [B,T,H] added to h_t inside the recurrence (ForwardOptions.taps): its gradient is the
   * total ∂loss/∂h_t through time, for the vanishing-gradient picture.
   */
  tap?: tf.Tensor;
  /** Filled during forward (gate activations) and backward (∂loss/∂h_t norms) when given. */
  recorder?: RecurrentRecorder;
}

export interface RecurrentRecorder {
  /** Gate activations [B,T,G] after the nonlinearity (for the gates view), set by forward. */
  gates?: Float32Array;
  gateShape?: [number, number, number];
  /** ‖∂loss/∂h_t‖ per time step (norm over batch and units, total gradient incl. through time). */
  stateGradNorms?: Float32Array;
}

/** [rows, inner] · w on the active backend, returned as a fresh Float32Array. */
export function stepMatMul(a: Float32Array, rows: number, inner: number, w: tf.Tensor2D): Float32Array {
  const at = tf.tensor2d(a, [rows, inner]);
  const out = tf.matMul(at, w);
  const data = out.dataSync() as Float32Array;
  at.dispose();
  out.dispose();
  return data;
}

/** Elementwise logistic sigmoid on the active backend, as a fresh Float32Array. */
export function stepSigmoid(a: Float32Array): Float32Array {
  const at = tf.tensor1d(a);
  const out = tf.sigmoid(at);
  const data = out.dataSync() as Float32Array;
  at.dispose();
  out.dispose();
  return data;
}

/**
 * Time-major rows. The loops keep their per-step arrays (gate activations, gradients, previous states) in
 * time-major order, row t*B + b, so that one step's rows are one contiguous block: batch-major rows
 * (b*T + t) put one step's rows T rows apart, and measured on an LSTM of 256 units the backward gate
 * loop ran 2–3x slower that way (the hardware prefetcher loses 64 strided streams). Tensors in and out
 * stay batch-major like everything else; the helpers below convert at the edges.
 */
export function toTimeMajor(x: tf.Tensor): tf.Tensor {
  return tf.transpose(x, [1, 0, 2]);
}

/**
 * The input side of a fused op for every step at once: x·kernel for (step t, sequence b) starts at
 * `data[offset(t, b)]`. Dense input: one matMul over the time-major input. One-hot input (`oneHotIds`
 * given, x = oneHot(ids)): the product is a row of the kernel, so nothing is multiplied at all. The bias
 * is not included: the loops add it as they read, which saves a pass over [B*T*G] values.
 */
export interface InputRows {
  data: Float32Array;
  offset(t: number, b: number): number;
}

export function inputRows(x: tf.Tensor, kernel: tf.Tensor2D, oneHotIds: Int32Array | null | undefined): InputRows {
  const [B, T, In] = x.shape as [number, number, number];
  const G = kernel.shape[1];
  if (oneHotIds) {
    if (oneHotIds.length !== B * T || In !== kernel.shape[0])
      throw new Error(`one-hot ids: ${oneHotIds.length} for input [${x.shape}], kernel [${kernel.shape}]`);
    return { data: kernel.dataSync() as Float32Array, offset: (t, b) => oneHotIds[b * T + t]! * G };
  }
  const xt = toTimeMajor(x);
  const data = projectInputs(xt, kernel, null, false);
  xt.dispose();
  return { data, offset: (t, b) => (t * B + b) * G };
}

/** dKernel for one-hot input: kernel row id collects the time-major gradient rows of the steps reading it. */
export function oneHotKernelGrad(ids: Int32Array, dG: Float32Array, dims: { B: number; T: number; In: number; G: number }): tf.Tensor2D {
  const { B, T, In, G } = dims;
  const out = new Float32Array(In * G);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) {
      const o = ids[b * T + t]! * G;
      const g = (t * B + b) * G;
      for (let j = 0; j < G; j++) out[o + j]! += dG[g + j]!;
    }
  return tf.tensor2d(out, [In, G]);
}

/** [T,B,W] time-major rows → [B,T,W] batch-major (for the probe recorder, which speaks batch-major). */
export function batchMajorRows(a: Float32Array, T: number, B: number, W: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) out.set(a.subarray((t * B + b) * W, (t * B + b + 1) * W), (b * T + t) * W);
  return out;
}

/** dKernel = xᵀ·dG over time-major rows, computed as (dGᵀ·x)ᵀ: a large new right operand is slow on wasm. */
export function kernelGradTm(x: tf.Tensor, dGT: Float32Array, G: number): tf.Tensor2D {
  const [B, T, In] = x.shape as [number, number, number];
  return tf.tidy(() =>
    tf.transpose(tf.matMul(tf.tensor2d(dGT, [G, B * T]), tf.reshape(toTimeMajor(x), [B * T, In]))),
  ) as tf.Tensor2D;
}

/** dX = dG·kernelᵀ from time-major rows, back to [B,T,In]. */
export function inputGradTm(x: tf.Tensor, kernel: tf.Tensor2D, dG: Float32Array): tf.Tensor {
  const [B, T, In] = x.shape as [number, number, number];
  const G = kernel.shape[1];
  return tf.tidy(() =>
    tf.transpose(tf.reshape(tf.matMul(tf.tensor2d(dG, [B * T, G]), tf.transpose(kernel)), [T, B, In]), [1, 0, 2]),
  );
}

/** x [B,T,In] · kernel [In,G] (+ bias [G]) for every step at once, as a [B*T*G] array. */
export function projectInputs(
  x: tf.Tensor,
  kernel: tf.Tensor2D,
  bias: Float32Array | null,
  writable = true,
): Float32Array {
  const [B, T, In] = x.shape as [number, number, number];
  const proj = tf.tidy(() => tf.matMul(tf.reshape(x, [B * T, In]), kernel));
  // The cpu backend hands out its own storage: copy before writing into it (wasm already gives a copy).
  const read = proj.dataSync() as Float32Array;
  const data = writable || bias ? Float32Array.from(read) : read;
  proj.dispose();
  if (bias) {
    const G = bias.length;
    for (let r = 0; r < B * T; r++) {
      const o = r * G;
      for (let j = 0; j < G; j++) data[o + j]! += bias[j]!;
    }
  }
  return data;
}

/** Step t of processing order `s`. */
export function stepAt(s: number, T: number, goBackwards: boolean | undefined): number {
  return goBackwards ? T - 1 - s : s;
}

export function readFloats(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync() as Float32Array);
}

/** Evaluates f once, on first use. */
export function lazy<T>(f: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value;
  };
}

/** [rows, cols] → [cols, rows], in blocks so both sides stay in cache. */
export function transposeArray(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  const S = 32;
  for (let r0 = 0; r0 < rows; r0 += S) {
    const r1 = Math.min(rows, r0 + S);
    for (let c0 = 0; c0 < cols; c0 += S) {
      const c1 = Math.min(cols, c0 + S);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = a[r * cols + c]!;
    }
  }
  return out;
}

/**
 * Runs a fused op as one tape node whose input gradients are computed only when backprop asks for
 * them: tfjs prunes inputs that do not lead back to a variable (e.g. a one-hot input), and a skipped
 * dX saves a [B·T,G]·[G,In] product. `backward` returns one thunk per input, in order.
 */
export function runFused(
  inputs: tf.Tensor[],
  forward: (save: (ts: tf.Tensor[]) => void) => {
    value: tf.Tensor;
    backward: (dy: tf.Tensor, saved: tf.Tensor[]) => (() => tf.Tensor)[];
  },
): tf.Tensor {
  let backward: ((dy: tf.Tensor, saved: tf.Tensor[]) => (() => tf.Tensor)[]) | null = null;
  const engine = tf.engine() as unknown as {
    runKernelFunc(p: {
      forwardFunc: (backend: unknown, save: (ts: tf.Tensor[]) => void) => tf.Tensor;
      backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
      inputs: Record<string, tf.Tensor>;
    }): tf.Tensor;
  };
  return engine.runKernelFunc({
    forwardFunc: (_backend, save) => {
      const r = forward(save);
      backward = r.backward;
      return r.value;
    },
    backwardsFunc: (dy, saved) => Object.fromEntries(backward!(dy, saved).map((g, i) => [String(i), g])),
    inputs: Object.fromEntries(inputs.map((t, i) => [String(i), t])),
  });
}

/** dKernel = xᵀ·dG computed as (dGᵀ·x)ᵀ: a new large right operand is repacked by wasm (slow). */
export function kernelGrad(x: tf.Tensor, dGT: Float32Array, G: number): tf.Tensor2D {
  const [B, T, In] = x.shape as [number, number, number];
  return tf.tidy(() =>
    tf.transpose(tf.matMul(tf.tensor2d(dGT, [G, B * T]), tf.reshape(x, [B * T, In]))),
  ) as tf.Tensor2D;
}

/** dX = dG·kernelᵀ, transposed explicitly (matMul's transpose flags leave wasm's fast path). */
export function inputGrad(x: tf.Tensor, kernel: tf.Tensor2D, dG: Float32Array): tf.Tensor {
  const [B, T, In] = x.shape as [number, number, number];
  const G = kernel.shape[1];
  return tf.tidy(() => tf.reshape(tf.matMul(tf.tensor2d(dG, [B * T, G]), tf.transpose(kernel)), [B, T, In]));
}

export function sumRows(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[j]! += a[o + j]!;
  }
  return out;
}

/** Σ_t h_{t-1}ᵀ·dG_t over all steps at once = (dGᵀ·hPrev)ᵀ, with hPrev [N,H] and dGᵀ [G,N]. */
export function recurrentKernelGrad(
  hPrev: Float32Array,
  dGT: Float32Array,
  H: number,
  N: number,
  G: number,
): tf.Tensor2D {
  return tf.tidy(() =>
    tf.transpose(tf.matMul(tf.tensor2d(dGT, [G, N]), tf.tensor2d(hPrev, [N, H]))),
  ) as tf.Tensor2D;
}

/** Copies row b of a [B,H] state into row `row` of an [N,H] store. */
export function storeRow(dst: Float32Array, src: Float32Array, b: number, H: number, row: number): void {
  dst.set(src.subarray(b * H, b * H + H), row * H);
}

export function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/** tanh through one exp: measured ~40% faster than Math.tanh in V8, exact to float32 precision. */
export function tanh(v: number): number {
  if (v > 20) return 1;
  if (v < -20) return -1;
  const e = Math.exp(2 * v);
  return 1 - 2 / (e + 1);
}

/** Initial state as a [B*H] array (zeros when the tensor holds zeros). */
export function stateArray(t: tf.Tensor): Float32Array {
  return readFloats(t);
}

/** Sum of squares of a [B*H] array, for the ∂loss/∂h_t recorder. */
export function norm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/**
 * One BPTT step's common start, shared by every cell: add the output gradient of step t to the running
 * ∂loss/∂h (the output rows of batch b sit at `b * rowsPerBatch + t`), then record its norm for the
 * gradient-through-time picture and hand it to the tap when one is attached.
 */
export function enterStepGrad(
  dh: Float32Array,
  d: Float32Array,
  dims: { B: number; T: number; H: number; rowsPerBatch: number },
  t: number,
  norms: Float32Array | null,
  dTap: Float32Array | null,
): void {
  const { B, T, H, rowsPerBatch } = dims;
  for (let b = 0; b < B; b++) {
    const yo = (b * rowsPerBatch + t) * H;
    for (let j = 0; j < H; j++) dh[b * H + j]! += d[yo + j]!;
  }
  if (norms) norms[t] = norm(dh);
  if (dTap) for (let b = 0; b < B; b++) dTap.set(dh.subarray(b * H, b * H + H), (b * T + t) * H);
}

/** Checks the shapes every op shares and names what is wrong. */
export function checkShapes(
  op: string,
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrent: tf.Tensor,
  G: number,
): void {
  if (x.rank !== 3) throw new Error(`${op}: input must be [batch, time, features], got shape [${x.shape}]`);
  if (kernel.rank !== 2 || kernel.shape[0] !== x.shape[2] || kernel.shape[1] !== G)
    throw new Error(`${op}: kernel must be [${x.shape[2]}, ${G}], got [${kernel.shape}]`);
  if (recurrent.rank !== 2 || recurrent.shape[1] !== G || recurrent.shape[0] * (G / recurrent.shape[0]) !== G)
    throw new Error(`${op}: recurrent kernel must be [units, ${G}], got [${recurrent.shape}]`);
}
