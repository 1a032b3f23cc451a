// One Adam (or AdamW) update of a weight in one pass over wasm memory: reads w, g, m and v once, writes
// the new m, v and weight. The same operations in the same order as the tf ops of
// core/training/optimizers.ts, in float32 with separate multiplies and adds (no fused multiply-add) and
// the constants rounded to float32 as tfjs's scalars are, so the result is bit for bit theirs.
//
// Why: as tf ops the update is 11 elementwise kernels per weight, each a pass over the weight and a new
// tensor; the update runs once per step on the run's own engine thread, serially after the data-parallel
// shards, so with several workers it is the part that does not shrink (tag-bilstm, 0.74M weights: 5–11
// ms of a 60 ms step on 2 workers).
import { F32, I32, V128, moduleBytes, op, type FunctionSpec } from './encode.js';
import { kernelsBound } from './api.js';

// Parameters: byte addresses of w, g, m, v and of the three outputs, the count, then the constants
// C = (β1, 1−β1, β2, 1−β2, 1−β1^t, 1−β2^t, ε, learning rate).
// prettier-ignore
const W = 0, G = 1, M = 2, V = 3, M_OUT = 4, V_OUT = 5, W_OUT = 6, COUNT = 7, C = 8;
// Locals: the byte offset and its vector end, the constants as vectors, then g, m and v in flight.
// prettier-ignore
const AT = 16, END = 17, CV = 18, GV = 26, MV = 27, VV = 28, GS = 29, MS = 30, VS = 31;

/** The update of one element (`vector`: four at AT) as instructions. */
function update(vector: boolean): number[] {
  const load = vector ? op.v128Load : op.f32Load;
  const store = vector ? op.v128Store : op.f32Store;
  const [mul, add, sub, div, sqrt] = vector
    ? [op.f32x4Mul, op.f32x4Add, op.f32x4Sub, op.f32x4Div, op.f32x4Sqrt]
    : [op.f32Mul, op.f32Add, op.f32Sub, op.f32Div, op.f32Sqrt];
  const c = (i: number) => op.get(vector ? CV + i : C + i);
  const [g, m, v] = vector ? [GV, MV, VV] : [GS, MS, VS];
  const at = (base: number) => [...op.get(base), ...op.get(AT), ...op.add];
  // prettier-ignore
  return [
    ...at(G), ...load(), ...op.set(g),
    // m' = m·β1 + g·(1−β1)
    ...at(M_OUT), ...at(M), ...load(), ...c(0), ...mul, ...op.get(g), ...c(1), ...mul, ...add,
    ...op.tee(m), ...store(),
    // v' = v·β2 + (g·g)·(1−β2)
    ...at(V_OUT), ...at(V), ...load(), ...c(2), ...mul,
    ...op.get(g), ...op.get(g), ...mul, ...c(3), ...mul, ...add, ...op.tee(v), ...store(),
    // w' = w − ((m' / (1−β1^t)) / (sqrt(v' / (1−β2^t)) + ε)) · lr
    ...at(W_OUT), ...at(W), ...load(),
    ...op.get(m), ...c(4), ...div,
    ...op.get(v), ...c(5), ...div, ...sqrt, ...c(6), ...add, ...div, ...c(7), ...mul, ...sub, ...store(),
  ];
}

function adamFunction(): FunctionSpec {
  const body: number[] = [];
  for (let i = 0; i < 8; i++) body.push(...op.get(C + i), ...op.f32x4Splat, ...op.set(CV + i));
  // prettier-ignore
  body.push(
    ...op.i32(0), ...op.set(AT),
    ...op.get(COUNT), ...op.i32(-4), ...op.and, ...op.i32(2), ...op.shl, ...op.set(END),
    ...op.block, ...op.loop,
    ...op.get(AT), ...op.get(END), ...op.geU, ...op.brIf(1),
    ...update(true),
    ...op.get(AT), ...op.i32(16), ...op.add, ...op.set(AT), ...op.br(0),
    ...op.end, ...op.end,
    // The last count mod 4 elements one by one.
    ...op.get(COUNT), ...op.i32(2), ...op.shl, ...op.set(END),
    ...op.block, ...op.loop,
    ...op.get(AT), ...op.get(END), ...op.geU, ...op.brIf(1),
    ...update(false),
    ...op.get(AT), ...op.i32(4), ...op.add, ...op.set(AT), ...op.br(0),
    ...op.end, ...op.end,
  );
  return {
    name: 'adam',
    params: [...new Array<number>(C).fill(I32), ...new Array<number>(8).fill(F32)] as FunctionSpec['params'],
    locals: [I32, I32, ...new Array<number>(8 + 3).fill(V128), F32, F32, F32] as FunctionSpec['locals'],
    body,
  };
}

/** The update's constants: C = (β1, 1−β1, β2, 1−β2, 1−β1^t, 1−β2^t, ε, learning rate). */
export interface AdamConstants {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  /** Updates so far, this one included (bias correction). */
  step: number;
}

/**
 * C = (β1, 1−β1, β2, 1−β2, 1−β1^t, 1−β2^t, ε, learning rate), computed in double precision; each kernel
 * rounds them to float32 as tfjs's scalars are (wasm's f32 parameters, webgpu's float32 tensor).
 */
export function adamConstants(c: AdamConstants): number[] {
  return [
    c.beta1,
    1 - c.beta1,
    c.beta2,
    1 - c.beta2,
    1 - c.beta1 ** c.step,
    1 - c.beta2 ** c.step,
    c.epsilon,
    c.learningRate,
  ];
}

/** One update on byte addresses of one memory: w, g, m, v in; m', v', w' out; `count` floats each. */
export type AdamCall = (
  w: number,
  g: number,
  m: number,
  v: number,
  mOut: number,
  vOut: number,
  wOut: number,
  count: number,
  c: AdamConstants,
) => void;

/** The update bound to `memory` (tfjs-wasm's heap), or null where V8 has no wasm SIMD. */
export const wasmAdam = kernelsBound(
  () => moduleBytes([adamFunction()]),
  (exports): AdamCall => {
    const raw = exports.adam as (...args: number[]) => void;
    return (w, g, m, v, mOut, vOut, wOut, count, c) =>
      raw(w, g, m, v, mOut, vOut, wOut, count, ...adamConstants(c));
  },
);
