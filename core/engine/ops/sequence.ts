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

/** x [B,T,In] · kernel [In,G] (+ bias [G]) for every step at once, as a [B*T*G] array. */
export function projectInputs(x: tf.Tensor, kernel: tf.Tensor2D, bias: Float32Array | null): Float32Array {
  const [B, T, In] = x.shape as [number, number, number];
  const proj = tf.tidy(() => tf.matMul(tf.reshape(x, [B * T, In]), kernel));
  const data = Float32Array.from(proj.dataSync() as Float32Array);
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

/**
 * Weight and input gradients from the per-step pre-activation gradients dG [B*T, G] of all steps at once:
 * dKernel = xᵀ·dG, dX = dG·kernelᵀ, dBias = Σ dG. Measured on wasm: a matMul whose right operand is
 * large and new repacks it (seconds for [6400,1024]), so the big operand goes on the left:
 * dKernel = (dGᵀ·x)ᵀ. Transposes are explicit (matMul's transpose flags leave the fast path).
 */
export function inputSideGrads(
  x: tf.Tensor,
  kernel: tf.Tensor2D,
  dG: Float32Array,
): { dX: tf.Tensor; dKernel: tf.Tensor2D; dBias: Float32Array } {
  const [B, T, In] = x.shape as [number, number, number];
  const G = kernel.shape[1];
  const dBias = sumRows(dG, B * T, G);
  const { dX, dKernel } = tf.tidy(() => {
    const dGt = tf.tensor2d(dG, [B * T, G]);
    const x2 = tf.reshape(x, [B * T, In]);
    const dKernel = tf.transpose(tf.matMul(tf.transpose(dGt), x2)) as tf.Tensor2D;
    const dX = tf.reshape(tf.matMul(dGt, tf.transpose(kernel)), [B, T, In]);
    return { dX, dKernel };
  });
  return { dX, dKernel, dBias };
}

export function sumRows(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[j]! += a[o + j]!;
  }
  return out;
}

/** Σ_t h_{t-1}ᵀ·dG_t over all steps at once = (dGᵀ·hPrev)ᵀ, with hPrev [N,H] and dG [N,G] row-major. */
export function recurrentKernelGrad(hPrev: Float32Array, dG: Float32Array, H: number, N: number, G: number): tf.Tensor2D {
  return tf.tidy(() => tf.transpose(tf.matMul(tf.transpose(tf.tensor2d(dG, [N, G])), tf.tensor2d(hPrev, [N, H])))) as tf.Tensor2D;
}

/** Copies row b of a [B,H] state into row `row` of an [N,H] store. */
export function storeRow(dst: Float32Array, src: Float32Array, b: number, H: number, row: number): void {
  dst.set(src.subarray(b * H, b * H + H), row * H);
}

export function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
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

/** Checks the shapes every op shares and names what is wrong. */
export function checkShapes(op: string, x: tf.Tensor, kernel: tf.Tensor, recurrent: tf.Tensor, G: number): void {
  if (x.rank !== 3) throw new Error(`${op}: input must be [batch, time, features], got shape [${x.shape}]`);
  if (kernel.rank !== 2 || kernel.shape[0] !== x.shape[2] || kernel.shape[1] !== G)
    throw new Error(`${op}: kernel must be [${x.shape[2]}, ${G}], got [${kernel.shape}]`);
  if (recurrent.rank !== 2 || recurrent.shape[1] !== G || recurrent.shape[0] * (G / recurrent.shape[0]) !== G)
    throw new Error(`${op}: recurrent kernel must be [units, ${G}], got [${recurrent.shape}]`);
}
