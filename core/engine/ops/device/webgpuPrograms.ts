// What the fused WGSL recurrent kernels (webgpuLoop.ts and the cells plugged into it) share: how a
// program is laid out for tfjs's webgpu program runner (our WGSL body; tfjs adds bindings, uniforms and
// the entry point), the sigmoid and tanh they compute with, the uniforms every step passes, and when a
// call may take them.
//
// Each kernel is one invocation per (sequence b, unit j). On a GPU every dispatch has a fixed cost (on
// the SwiftShader emulator about 0.2–0.3 ms of host time to record a small one, measured with
// scripts/bench/webgpuProfile.mts), so the number of dispatches per step counts.
import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentOptions } from '../sequence.js';
import { runWebGpuProgram, unwrittenTensor, type WebGpuProgram } from '../../tfjsInternals.js';

const WORKGROUP = 64;

/** A program over `threads` invocations writing an output of `outputShape` (the flat layout tfjs uses). */
export function program(
  key: string,
  variableNames: string[],
  outputShape: number[],
  threads: number,
  body: string,
): WebGpuProgram {
  return {
    variableNames,
    outputShape,
    shaderKey: key,
    uniforms: 'stepIndex : i32, prevStep : i32, nextStep : i32, units : i32, batch : i32, time : i32,',
    workgroupSize: [WORKGROUP, 1, 1],
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(threads / WORKGROUP), 1, 1],
    getUserCode: () => body,
  };
}

// The same sigmoid and tanh formulas as tfjs's own webgpu kernels (tanh without the builtin, whose
// precision WGSL leaves loose).
export const HELPERS = `
  fn sigm(x : f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
  fn tanhf(x : f32) -> f32 { let e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }
`;

export interface StepUniforms {
  /** The time step this dispatch computes. */
  step: number;
  /** The step computed just before it (−1: none, this is the first), and just after it (−1: none). */
  prev: number;
  next: number;
  units: number;
  batch: number;
  time: number;
}

/** One step's dispatch, writing its part of `into`. */
export function run(kernel: WebGpuProgram, inputs: tf.Tensor[], u: StepUniforms, into: tf.Tensor): void {
  // Uniform order as declared in program().
  runWebGpuProgram(kernel, inputs, [u.step, u.prev, u.next, u.units, u.batch, u.time], into);
}

/** The tensor a loop's dispatches fill, step by step (every element written before it is read). */
export const emptyTensor = (shape: number[]): tf.Tensor => unwrittenTensor(shape);

// One invocation per element, no shared memory: for a weight matrix once per pass, where tfjs's tiled
// transpose (workgroup memory and barriers) costs more than the copy itself on the SwiftShader emulator
// and saves nothing worth a dispatch's setup on a GPU at these sizes.
const TRANSPOSE = `
  fn main(index : i32) {
    let R = uniforms.rows;
    let C = uniforms.columns;
    if (index >= R * C) { return; }
    let c = index / R;
    let r = index - c * R;
    setOutputAtIndex(index, X[r * C + c]);
  }
`;

/** xᵀ of a [R,C] matrix, on webgpu. */
export function transposed(x: tf.Tensor2D): tf.Tensor2D {
  const [R, C] = x.shape;
  const transpose = {
    ...program('rnnStudioTranspose', ['X'], [C, R], R * C, TRANSPOSE),
    uniforms: 'rows : i32, columns : i32,',
  };
  return runWebGpuProgram(transpose, [x], [R, C]) as tf.Tensor2D;
}

let fusedDisabled = false;
/** For tests: run the generic device path on webgpu too, to compare the two. */
export function setFusedKernels(enabled: boolean): void {
  fusedDisabled = !enabled;
}

/**
 * Whether a recurrent call can take the fused kernels: on webgpu, without taps or the probe recorder
 * (those take the generic device path of tfjs ops).
 */
export function fusedKernelsApply(opt: RecurrentOptions): boolean {
  const plain = !opt.tap && !opt.recorder;
  return !fusedDisabled && tf.getBackend() === 'webgpu' && plain;
}

/** The mask as the kernels read it: [B,T], 1 = real step (all ones when nothing is padded). */
export function batchMajorMask(opt: RecurrentOptions, B: number, T: number): tf.Tensor {
  return opt.mask ? tf.tensor2d(opt.mask, [B, T]) : tf.ones([B, T]);
}
