// Shared plumbing of the fused recurrent ops (elman.ts, lstm.ts, gru.ts). Each op runs its whole time loop
// as one tape node (runFused) with a hand-written backward pass:
// - the input projection of all steps is one matMul (or, for one-hot input, a kernel-row lookup);
// - each step's h·U is one backend product on buffers that live for the whole loop (stepKernels.ts);
// - the gate math is a plain loop over Float32Arrays (no per-step slice/unstack, which costs milliseconds
//   on wasm), in top-level functions V8 optimises once;
// - the weight gradients of all steps are one matMul each.
// Tensors in and out are batch-major like the Batch tensors (row b*T + t); the loops' own per-step
// records are time-major (row t*B + b) so one step is one contiguous block: with batch-major records the
// backward gate loop of a 256-unit LSTM ran 2–3x slower (64 strided streams defeat the prefetcher).
import * as tf from '@tensorflow/tfjs-core';
// Gradients of the ordinary ops around ours (slice, add, matMul …).
import '../gradients.js';
import { Scratch } from './scratch.js';
import { ownProducts, readNow, stepProduct } from './stepKernels.js';
import { ownGradWithBias } from './ownWeightGradient.js';
import { ownMatMul } from './ownMatMul.js';
import { runKernelFunc } from '../tfjsInternals.js';

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
  /**
   * [B*H] variational recurrent dropout: multiplies h_{t-1} before the recurrent product, same at all steps.
   */
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
  /** Gate activations [B,T,G] as a tensor (the device path, which reads nothing back). */
  gatesTensor?: tf.Tensor3D;
  /** ‖∂loss/∂h_t‖ per time step (norm over batch and units, total gradient incl. through time). */
  stateGradNorms?: Float32Array;
}

/** Step t of processing order `s`. */
export function stepAt(s: number, T: number, goBackwards: boolean | undefined): number {
  return goBackwards ? T - 1 - s : s;
}

/** A tensor's values as an array the caller may write to. */
export function readFloats(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync() as Float32Array);
}

/** A tensor's values, read only (the cpu backend hands out its own storage; never write to it). */
export function viewFloats(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
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

/** [B,T,F] → [T,B,F]. */
export function toTimeMajor(x: tf.Tensor): tf.Tensor {
  return tf.transpose(x, [1, 0, 2]);
}

/**
 * The input side of a fused op for every step at once, bias included: x·kernel + bias for (step t,
 * sequence b) starts at `data[offset(t, b)]`. Dense input: one matMul over the time-major input and one
 * backend add. One-hot input (`oneHotIds` given, x = oneHot(ids)): the product is a row of the kernel, so
 * nothing is multiplied at all; the rows are looked up in a kernel + bias table. The values sit in an
 * array from the scratch pool (a fresh one per call was the largest allocation of a step: 6.5 MB on
 * tag-bilstm), so the op calls `release()` once its time loop is done. A class, not closures, so the
 * loops' call to `offset` has one target whichever kind of input they see.
 */
export class InputRows {
  constructor(
    readonly data: Float32Array,
    private readonly ids: Int32Array | null,
    private readonly dims: { B: number; T: number; G: number },
    private readonly scratch: Scratch,
  ) {}

  offset(t: number, b: number): number {
    const { B, T, G } = this.dims;
    return this.ids ? this.ids[b * T + t]! * G : (t * B + b) * G;
  }

  /** Step t's rows [B,G] into `into` from index `at` (one copy for dense input, a row each for ids). */
  copyStep(t: number, into: Float32Array, at: number): void {
    const { B, G } = this.dims;
    if (!this.ids) into.set(this.data.subarray(t * B * G, (t + 1) * B * G), at);
    else
      for (let b = 0; b < B; b++)
        into.set(this.data.subarray(this.offset(t, b), this.offset(t, b) + G), at + b * G);
  }

  release(): void {
    this.scratch.release();
  }
}

/** A tensor's values copied into an array of `scratch` (no allocation once the pool has one that size). */
export function pooledCopy(t: tf.Tensor, scratch: Scratch): Float32Array {
  const out = scratch.take(t.size);
  out.set(readNow(t));
  return out;
}

export function inputRows(
  x: tf.Tensor,
  kernel: tf.Tensor2D,
  bias: Float32Array,
  oneHotIds: Int32Array | null | undefined,
): InputRows {
  const [B, T, In] = x.shape as [number, number, number];
  const G = kernel.shape[1];
  const scratch = new Scratch('input projection rows');
  if (oneHotIds) {
    if (oneHotIds.length !== B * T || In !== kernel.shape[0])
      throw new Error(`one-hot ids: ${oneHotIds.length} for input [${x.shape}], kernel [${kernel.shape}]`);
    const table = pooledCopy(kernel, scratch);
    for (let v = 0; v < In; v++) for (let j = 0; j < G; j++) table[v * G + j]! += bias[j]!;
    return new InputRows(table, oneHotIds, { B, T, G }, scratch);
  }
  const data = tf.tidy(() => {
    const rows = tf.reshape(toTimeMajor(x), [B * T, In]) as tf.Tensor2D;
    return tf.add(ownMatMul(rows, kernel) ?? tf.matMul(rows, kernel), tf.tensor1d(bias));
  });
  const values = pooledCopy(data, scratch);
  data.dispose();
  return new InputRows(values, null, { B, T, G }, scratch);
}

/** dKernel for one-hot input: kernel row id collects the time-major gradient rows of the steps reading it. */
export function oneHotKernelGrad(
  ids: Int32Array,
  dG: Float32Array,
  dims: { B: number; T: number; In: number; G: number },
): tf.Tensor2D {
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

/**
 * Σ over time-major rows of [row | 1]ᵀ·dG_row: the weight gradient of `rows` [N,W] (a tensor, or values
 * in an array) and, from the column of ones, the bias gradient (column sums of dG) in the same product.
 * On wasm with relaxed SIMD, the engine's own kernel (`ownWeightGradient.ts`). Elsewhere dG is transposed
 * on the backend (faster than a JS loop) and is the left operand: as a large new right operand wasm
 * repacks it, measured 2x slower. Arrays, not tensors, because backprop asks for each input's gradient in
 * its own tidy scope: a tensor made for another input would be freed before it is asked for.
 */
export function gradWithBias(
  rows: tf.Tensor2D | Float32Array | null,
  dG: Float32Array,
  G: number,
): { weight: Float32Array; bias: Float32Array } {
  const own = ownProducts();
  if (own) return ownGradWithBias(own, rows, dG, G);
  const N = dG.length / G;
  const W = rows === null ? 0 : rows instanceof Float32Array ? rows.length / N : rows.shape[1];
  const product = tf.tidy(() => {
    const ones = tf.ones([N, 1]);
    const left = rows instanceof Float32Array ? tf.tensor2d(rows, [N, W]) : rows;
    const right = left ? tf.concat([left, ones], 1) : ones;
    return tf.transpose(tf.matMul(tf.transpose(tf.tensor2d(dG, [N, G])), right));
  });
  const values = viewFloats(product);
  product.dispose();
  return { weight: values.subarray(0, W * G), bias: values.subarray(W * G) };
}

/**
 * dKernel, dRecurrentKernel and dBias of a cell whose input and recurrent products share one gradient dG
 * (LSTM, Elman): one product dGᵀ·[x | h_prev | 1]. `x` null for one-hot input (its kernel gradient is a
 * row sum, oneHotKernelGrad).
 */
export function weightGrads(
  x: tf.Tensor | null,
  hPrev: Float32Array,
  dG: Float32Array,
  H: number,
  G: number,
): { kernel: Float32Array | null; recurrent: Float32Array; bias: Float32Array } {
  const N = dG.length / G;
  const In = x ? x.shape[2]! : 0;
  if (!x) {
    const { weight, bias } = gradWithBias(hPrev, dG, G);
    return { kernel: null, recurrent: weight, bias };
  }
  const rows = tf.tidy(() =>
    tf.concat([tf.reshape(toTimeMajor(x), [N, In]), tf.tensor2d(hPrev, [N, H])], 1),
  ) as tf.Tensor2D;
  const { weight, bias } = gradWithBias(rows, dG, G);
  rows.dispose();
  return { kernel: weight.subarray(0, In * G), recurrent: weight.subarray(In * G), bias };
}

/** dX = dG·kernelᵀ from time-major rows, back to [B,T,In]. */
export function inputGrad(x: tf.Tensor, kernel: tf.Tensor2D, dG: Float32Array): tf.Tensor {
  const [B, T, In] = x.shape as [number, number, number];
  const G = kernel.shape[1];
  return tf.tidy(() => {
    const dGRows = tf.tensor2d(dG, [B * T, G]);
    const product = ownMatMul(dGRows, kernel, false, true) ?? tf.matMul(dGRows, tf.transpose(kernel));
    return tf.transpose(tf.reshape(product, [T, B, In]), [1, 0, 2]);
  });
}

/** [T,B,W] time-major rows → [B,T,W] batch-major (for the probe recorder, which speaks batch-major). */
export function batchMajorRows(a: Float32Array, T: number, B: number, W: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) out.set(a.subarray((t * B + b) * W, (t * B + b + 1) * W), (b * T + t) * W);
  return out;
}

/**
 * Runs a fused op as one tape node with several outputs, whose input gradients are computed only when
 * backprop asks for them: tfjs prunes inputs that do not lead back to a variable (e.g. a one-hot input),
 * and a skipped dX saves a [B·T,G]·[G,In] product. `backward` gets one gradient per output (zeros for an
 * output nobody used) and returns one thunk per input, in order. Separate outputs, not one packed tensor
 * sliced apart: slicing along time is slow on wasm, and each slice's gradient is a full-size pad.
 */
export function runFused(
  inputs: tf.Tensor[],
  forward: (save: (ts: tf.Tensor[]) => void) => {
    values: tf.Tensor[];
    backward: (dys: tf.Tensor[], saved: tf.Tensor[]) => (() => tf.Tensor)[];
  },
): tf.Tensor[] {
  let backward: ((dys: tf.Tensor[], saved: tf.Tensor[]) => (() => tf.Tensor)[]) | null = null;
  const out = runKernelFunc({
    forwardFunc: (_backend, save) => {
      const r = forward(save);
      backward = r.backward;
      return r.values;
    },
    backwardsFunc: (dy, saved) =>
      Object.fromEntries(backward!(Array.isArray(dy) ? dy : [dy], saved).map((g, i) => [String(i), g])),
    inputs: Object.fromEntries(inputs.map((t, i) => [String(i), t])),
  });
  return Array.isArray(out) ? out : [out];
}

/** Sum of squares of a [B*H] array, for the ∂loss/∂h_t recorder. */
export function norm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/**
 * One BPTT step's common start, shared by every cell: add the output gradient of step t (dSeq, [B,T,H]
 * batch-major) to the running ∂loss/∂h, then record its norm for the gradient-through-time picture and
 * hand it to the tap when one is attached.
 */
export function enterStepGrad(
  dh: Float32Array,
  dSeq: Float32Array,
  dims: { B: number; T: number; H: number },
  t: number,
  norms: Float32Array | null,
  dTap: Float32Array | null,
): void {
  const { B, T, H } = dims;
  for (let b = 0; b < B; b++) {
    const yo = (b * T + t) * H;
    for (let j = 0; j < H; j++) dh[b * H + j]! += dSeq[yo + j]!;
  }
  if (norms) norms[t] = norm(dh);
  if (dTap) for (let b = 0; b < B; b++) dTap.set(dh.subarray(b * H, b * H + H), (b * T + t) * H);
}

/** Writes state h [B,H] into row t of the batch-major sequence output [B,T,H]. */
export function storeStep(
  seq: Float32Array,
  h: Float32Array,
  t: number,
  B: number,
  T: number,
  H: number,
): void {
  for (let b = 0; b < B; b++) seq.set(h.subarray(b * H, b * H + H), (b * T + t) * H);
}

/** h_{t-1} as the recurrent product reads it: after variational recurrent dropout, when there is one. */
export function droppedState(dst: Float32Array, h: Float32Array, drop: Float32Array | null): void {
  if (!drop) dst.set(h);
  else for (let i = 0; i < h.length; i++) dst[i] = h[i]! * drop[i]!;
}

/**
 * ∂loss/∂h_{t-1} from the recurrent product's gradient (through the dropout mask); padded rows keep dh.
 */
export function passStateGrad(
  dh: Float32Array,
  dhU: Float32Array,
  drop: Float32Array | null,
  mask: Float32Array | null,
  t: number,
  B: number,
  T: number,
  H: number,
): void {
  for (let b = 0; b < B; b++) {
    if (mask && mask[b * T + t]! <= 0) continue;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      dh[k] = drop ? dhU[k]! * drop[k]! : dhU[k]!;
    }
  }
}

/**
 * The BPTT time loop of a cell whose gates share one gradient dG (LSTM, Elman), last step first: at each
 * step the output's gradient joins ∂loss/∂h (enterStepGrad), `gateGrads` writes the step's gate gradients
 * [B,G] into the product's input (zero rows where padded) from dh, then dh becomes the product's gradient
 * dG·Uᵀ for the step before. Fills `dG` (time-major [N,G], every element written) and, for one-hot input
 * (`oneHotGrad` given, [In,G] zeroed), the kernel gradient: each step's rows are added to the kernel rows
 * they read while still in cache (a separate pass over dG afterwards cost ~3% of an lm-lstm step). Returns
 * the tap gradient; dh is left as ∂loss/∂h0.
 */
export function bpttLoop(o: {
  B: number;
  T: number;
  H: number;
  G: number;
  recurrent: tf.Tensor2D;
  dSeq: Float32Array;
  dh: Float32Array;
  dG: Float32Array;
  oneHotGrad: Float32Array | null;
  opt: RecurrentOptions;
  tapped: boolean;
  gateGrads: (dGstep: Float32Array, t: number) => void;
}): { dTap: Float32Array | null } {
  const { B, T, H, G, opt, dG } = o;
  const mask = opt.mask ?? null;
  const drop = opt.recurrentDropMask ?? null;
  const ids = o.oneHotGrad ? opt.oneHotIds! : null;
  const product = stepProduct(B, G, o.recurrent, true);
  const norms = opt.recorder ? new Float32Array(T) : null;
  const dTap = o.tapped ? new Float32Array(B * T * H) : null;
  for (let s = T - 1; s >= 0; s--) {
    const t = stepAt(s, T, opt.goBackwards);
    enterStepGrad(o.dh, o.dSeq, { B, T, H }, t, norms, dTap);
    const dGstep = product.input();
    o.gateGrads(dGstep, t);
    dG.set(dGstep, t * B * G);
    if (ids) addKernelRows(o.oneHotGrad!, dGstep, ids, t, B, T, G);
    passStateGrad(o.dh, product.run(), drop, mask, t, B, T, H);
  }
  product.dispose();
  if (opt.recorder && norms) opt.recorder.stateGradNorms = norms;
  return { dTap };
}

/** One-hot input's kernel gradient, one step: row ids[b,t] of the kernel collects gate gradient row b. */
function addKernelRows(
  out: Float32Array,
  dGstep: Float32Array,
  ids: Int32Array,
  t: number,
  B: number,
  T: number,
  G: number,
): void {
  for (let b = 0; b < B; b++) {
    const o = ids[b * T + t]! * G;
    const g = b * G;
    for (let j = 0; j < G; j++) out[o + j]! += dGstep[g + j]!;
  }
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
