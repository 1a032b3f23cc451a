// A state-space layer: a diagonal linear recurrence in the S4D / LRU family (Gu et al. 2022, Orvieto et al.
// 2023). Continuous-time diagonal A (complex, or real when `complex` is off) kept stable by construction
// (Re A = -exp(a_log_real) < 0), discretised by zero-order hold with a learned step Δ = exp(log_step):
//   Ā = exp(ΔA),  B̄ = (Ā - 1)/A · B,  h_t = Ā h_{t-1} + B̄ x_t,  y_t = Re(C h_t) + D x_t.
// B and C are full matrices (multi-input multi-output, as in LRU/S5); D is per feature (S4D) or a matrix
// when the output width differs. The recurrence is the fused diagonalScan; the rest is tfjs autograd.
import * as tf from '@tensorflow/tfjs-core';
import { usesDevicePath } from './device/path.js';
import { cosSin } from './device/trig.js';
import { diagonalScan } from './diagonalScan.js';

/**
 * Weights, the real part named as core/catalog/kinds/state-space.ts lists them:
 * - log_rate [N]: Re A = -exp(log_rate) (always negative: stable whatever the optimiser does)
 * - input_kernel [F,N] (B), output_kernel [N,U] (C), skip [F] (D per feature, U = F) or [F,U]
 * - log_step [N]: Δ = exp(log_step); optional, Δ = 1 when absent
 * - complex only: frequency [N] (Im A), input_kernel_imag [F,N], output_kernel_imag [N,U]
 */
export type StateSpaceWeights = Record<string, tf.Tensor>;

export interface StateSpaceResult {
  /** [B,T,U], zero at padded steps. */
  output: tf.Tensor3D;
  /** [2,B,N] state after the last real step (real and imaginary parts). */
  finalState: tf.Tensor3D;
}

function need(w: StateSpaceWeights, key: string): tf.Tensor {
  const t = w[key];
  if (!t) throw new Error(`state-space layer needs the weight '${key}'`);
  return t;
}

function project(x: tf.Tensor3D, kernel: tf.Tensor): tf.Tensor3D {
  const [b, t, f] = x.shape;
  const out = tf.matMul(tf.reshape(x, [b * t, f]), kernel as tf.Tensor2D);
  return tf.reshape(out, [b, t, out.shape[1]!]);
}

/** The discretised diagonal Ā and input factor (Ā - 1)/A, each as [re, im] tensors of shape [N]. */
export function discretise(w: StateSpaceWeights, complex: boolean) {
  const aRe = tf.neg(tf.exp(need(w, 'log_rate')));
  const aIm = complex ? need(w, 'frequency') : tf.zerosLike(aRe);
  const step = w.log_step ? tf.exp(w.log_step) : tf.onesLike(aRe);
  const mag = tf.exp(tf.mul(step, aRe));
  const angle = tf.mul(step, aIm);
  // A GPU's own cos/sin may be off by 2^-11 (device/trig.ts): the device path computes them itself.
  const [cos, sin] = usesDevicePath() ? cosSin(angle) : [tf.cos(angle), tf.sin(angle)];
  const barRe = tf.mul(mag, cos);
  const barIm = tf.mul(mag, sin);
  // (Ā - 1)/A = (Ā - 1)·conj(A)/|A|²
  const nr = tf.sub(barRe, 1);
  const norm = tf.add(tf.square(aRe), tf.square(aIm));
  const facRe = tf.div(tf.add(tf.mul(nr, aRe), tf.mul(barIm, aIm)), norm);
  const facIm = tf.div(tf.sub(tf.mul(barIm, aRe), tf.mul(nr, aIm)), norm);
  return { barRe, barIm, facRe, facIm };
}

/** x [B,T,F], mask [B,T] or null, initial state [2,B,N] or null. */
export function stateSpace(
  x: tf.Tensor3D,
  mask: tf.Tensor2D | null,
  w: StateSpaceWeights,
  options: { complex: boolean; initialState?: tf.Tensor3D | null },
): StateSpaceResult {
  const [b, t] = x.shape;
  const n = need(w, 'log_rate').shape[0]!;
  const { barRe, barIm, facRe, facIm } = discretise(w, options.complex);
  const uRe = project(x, need(w, 'input_kernel'));
  const uIm = options.complex ? project(x, need(w, 'input_kernel_imag')) : tf.zerosLike(uRe);
  const inRe = tf.sub(tf.mul(uRe, facRe), tf.mul(uIm, facIm));
  const inIm = tf.add(tf.mul(uIm, facRe), tf.mul(uRe, facIm));
  const m = mask ?? tf.ones<tf.Rank.R2>([b, t]);
  const h0 = options.initialState ?? tf.zeros<tf.Rank.R3>([2, b, n]);
  const h = diagonalScan(
    tf.stack([inRe, inIm]) as tf.Tensor4D,
    tf.stack([barRe, barIm]) as tf.Tensor2D,
    m,
    h0,
  );
  const hRe = tf.reshape<tf.Rank.R3>(tf.slice(h, [0, 0, 0, 0], [1, b, t, n]), [b, t, n]);
  let y = project(hRe, need(w, 'output_kernel'));
  if (options.complex) {
    const hIm = tf.reshape<tf.Rank.R3>(tf.slice(h, [1, 0, 0, 0], [1, b, t, n]), [b, t, n]);
    y = tf.sub<tf.Tensor3D>(y, project(hIm, need(w, 'output_kernel_imag')));
  }
  const skip = need(w, 'skip');
  if (skip.rank === 1 && skip.shape[0] !== y.shape[2]) {
    throw new Error(
      `state-space layer: a per-feature skip needs as many outputs as inputs (${skip.shape[0]}), ` +
        `got ${y.shape[2]}`,
    );
  }
  y = tf.add<tf.Tensor3D>(y, skip.rank === 1 ? tf.mul(x, skip) : project(x, skip));
  const output = mask ? tf.mul<tf.Tensor3D>(y, tf.expandDims(mask, 2)) : y;
  // Padded steps hold the state, so the last column is the state after the last real step.
  const finalState = tf.reshape<tf.Rank.R3>(tf.slice(h, [0, 0, t - 1, 0], [2, b, 1, n]), [2, b, n]);
  return { output, finalState };
}

export function stateSpaceWeightShapes(
  features: number,
  units: number,
  stateSize: number,
  complex: boolean,
): Record<string, number[]> {
  const shapes: Record<string, number[]> = {
    log_step: [stateSize],
    log_rate: [stateSize],
    input_kernel: [features, stateSize],
    output_kernel: [stateSize, units],
    skip: units === features ? [features] : [features, units],
  };
  if (complex)
    Object.assign(shapes, {
      frequency: [stateSize],
      input_kernel_imag: [features, stateSize],
      output_kernel_imag: [stateSize, units],
    });
  return shapes;
}

/**
 * S4D initial values (Gu et al. 2022): S4D-Lin A_n = -1/2 + iπn when complex, S4D-Real A_n = -(n+1) when
 * real; Δ log-uniform in [stepMin, stepMax]; B, C ~ N(0, 1/(2·fan_in)); D ~ N(0, 1). `random` returns
 * uniforms in [0,1) so the caller controls the seed.
 */
export function stateSpaceInitialValues(
  features: number,
  units: number,
  stateSize: number,
  complex: boolean,
  random: () => number,
  stepMin = 0.001,
  stepMax = 0.1,
): Record<string, Float32Array> {
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const fill = (count: number, scale: number) => Float32Array.from({ length: count }, () => normal() * scale);
  const v: Record<string, Float32Array> = {
    log_step: Float32Array.from(
      { length: stateSize },
      () => Math.log(stepMin) + random() * (Math.log(stepMax) - Math.log(stepMin)),
    ),
    log_rate: Float32Array.from({ length: stateSize }, (_, i) => Math.log(complex ? 0.5 : i + 1)),
    input_kernel: fill(features * stateSize, Math.sqrt(1 / (2 * features))),
    output_kernel: fill(stateSize * units, Math.sqrt(1 / (2 * stateSize))),
    skip: units === features ? fill(features, 1) : fill(features * units, Math.sqrt(1 / features)),
  };
  if (complex) {
    v.frequency = Float32Array.from({ length: stateSize }, (_, i) => Math.PI * i);
    v.input_kernel_imag = fill(features * stateSize, Math.sqrt(1 / (2 * features)));
    v.output_kernel_imag = fill(stateSize * units, Math.sqrt(1 / (2 * stateSize)));
  }
  return v;
}
