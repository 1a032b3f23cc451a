// Two one-pass kernels over a step's gradients in wasm memory, for the part of a training step that
// runs once per step on the run's own thread after the shards (and so does not shrink with workers):
//
// - `squares`: a gradient's sum of squares per gate (its last axis cut into equal parts) and its largest
//   |entry|, for the Gradients tab's norms and the NaN guard (and each updated weight's largest |entry|, for
//   the check that the weights are finite). As tf ops that is, per weight, a square, a
//   sum, a reshape, a sum over gates, an abs and a max: six passes and six tensors (tag-bilstm, 0.74M
//   weights: 2.1 ms of a 60 ms step on 2 workers). Each segment sums in float32 lanes, four vectors at a
//   time in four accumulators (one chain of dependent adds ran at half the speed: 0.62 against 0.29 ms
//   for 0.74M floats), and adds into a float64 total per gate, so the norm is at least as exact as the tf
//   ops'.
// - `scaleAdd`: out = x·a + y·b in float32, the multiplies and the add each rounded as tf.mul and tf.add
//   are, so a data-parallel step's weighted sum of the shards' gradients is bit for bit the tf ops'
//   (core/training/dataParallel.ts), in one pass instead of three.
import { F32, I32, V128, moduleBytes, op, type FunctionSpec, type ValType } from './encode.js';
import { kernelsBound } from './api.js';

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

// squares(at, segments, segment length, gates, out): `segments` runs of `segment length` floats from byte
// address `at`, the k-th belonging to gate k mod gates; adds each run's sum of squares to the float64 at
// out + 8·gate, and stores the largest |entry| seen as a float64 at out + 8·gates.
// prettier-ignore
const AT = 0, SEGMENTS = 1, LENGTH = 2, GATES = 3, OUT = 4;
// prettier-ignore
const K = 5, GATE = 6, END4 = 7, END = 8, SLOT = 9, END16 = 10, ACC = 11, MX = 12, X = 13;
// prettier-ignore
const S = 23, M = 24, XS = 25;
/** Locals of the four chains (accumulator, maximum, loaded vector): chain 0 is ACC, MX, X. */
const CHAINS = 4;
const chainAcc = (q: number) => (q === 0 ? ACC : 14 + 3 * (q - 1));
const chainMax = (q: number) => (q === 0 ? MX : 15 + 3 * (q - 1));
const chainX = (q: number) => (q === 0 ? X : 16 + 3 * (q - 1));

function squaresFunction(): FunctionSpec {
  const lanes = (v: number) =>
    [0, 1, 2, 3].flatMap((l) => [...op.get(v), ...op.f32x4ExtractLane(l), ...op.f64PromoteF32]);
  // prettier-ignore
  const body = [
    ...op.v128Zero, ...op.set(MX),
    ...op.i32(0), ...op.set(K), ...op.i32(0), ...op.set(GATE),
    ...op.block, ...op.loop,
    ...op.get(K), ...op.get(SEGMENTS), ...op.geU, ...op.brIf(1),
    // This segment's ends: the four-wide part, then the whole.
    ...op.get(AT), ...op.get(LENGTH), ...op.i32(-4), ...op.and, ...op.i32(2), ...op.shl, ...op.add,
    ...op.set(END4),
    ...op.get(AT), ...op.get(LENGTH), ...op.i32(2), ...op.shl, ...op.add, ...op.set(END),
    ...op.get(AT), ...op.get(LENGTH), ...op.i32(-16), ...op.and, ...op.i32(2), ...op.shl, ...op.add,
    ...op.set(END16),
    ...op.f32Const0, ...op.set(S),
    ...op.v128Zero, ...op.set(ACC),
    ...range(1, CHAINS).flatMap((q) => [
      ...op.v128Zero, ...op.set(chainAcc(q)), ...op.v128Zero, ...op.set(chainMax(q)),
    ]),
    // Sixteen at a time into four accumulators (four dependency chains), then four, then one.
    ...op.block, ...op.loop,
    ...op.get(AT), ...op.get(END16), ...op.geU, ...op.brIf(1),
    ...range(0, CHAINS).flatMap((q) => [
      ...op.get(AT), ...op.v128Load(16 * q), ...op.set(chainX(q)),
      ...op.get(chainAcc(q)), ...op.get(chainX(q)), ...op.get(chainX(q)), ...op.f32x4Mul, ...op.f32x4Add,
      ...op.set(chainAcc(q)),
      ...op.get(chainMax(q)), ...op.get(chainX(q)), ...op.f32x4Abs, ...op.f32x4Max, ...op.set(chainMax(q)),
    ]),
    ...op.get(AT), ...op.i32(16 * CHAINS), ...op.add, ...op.set(AT), ...op.br(0),
    ...op.end, ...op.end,
    ...range(1, CHAINS).flatMap((q) => [
      ...op.get(ACC), ...op.get(chainAcc(q)), ...op.f32x4Add, ...op.set(ACC),
      ...op.get(MX), ...op.get(chainMax(q)), ...op.f32x4Max, ...op.set(MX),
    ]),
    ...op.block, ...op.loop,
    ...op.get(AT), ...op.get(END4), ...op.geU, ...op.brIf(1),
    ...op.get(AT), ...op.v128Load(), ...op.set(X),
    ...op.get(ACC), ...op.get(X), ...op.get(X), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(ACC),
    ...op.get(MX), ...op.get(X), ...op.f32x4Abs, ...op.f32x4Max, ...op.set(MX),
    ...op.get(AT), ...op.i32(16), ...op.add, ...op.set(AT), ...op.br(0),
    ...op.end, ...op.end,
    ...op.block, ...op.loop,
    ...op.get(AT), ...op.get(END), ...op.geU, ...op.brIf(1),
    ...op.get(AT), ...op.f32Load(), ...op.set(XS),
    ...op.get(S), ...op.get(XS), ...op.get(XS), ...op.f32Mul, ...op.f32Add, ...op.set(S),
    ...op.get(M), ...op.get(XS), ...op.f32Abs, ...op.f32Max, ...op.set(M),
    ...op.get(AT), ...op.i32(4), ...op.add, ...op.set(AT), ...op.br(0),
    ...op.end, ...op.end,
    // out[gate] += the four lanes and the tail, in float64.
    ...op.get(OUT), ...op.get(GATE), ...op.i32(3), ...op.shl, ...op.add, ...op.set(SLOT),
    ...op.get(SLOT),
    ...op.get(SLOT), ...op.f64Load(),
    ...lanes(ACC), ...op.f64Add, ...op.f64Add, ...op.f64Add, ...op.f64Add,
    ...op.get(S), ...op.f64PromoteF32, ...op.f64Add,
    ...op.f64Store(),
    ...op.get(GATE), ...op.i32(1), ...op.add, ...op.set(GATE),
    ...op.get(GATE), ...op.get(GATES), ...op.eq, ...op.if, ...op.i32(0), ...op.set(GATE), ...op.end,
    ...op.get(K), ...op.i32(1), ...op.add, ...op.set(K), ...op.br(0),
    ...op.end, ...op.end,
    // The largest |entry|: the four lanes and the tail's (NaN wins, as in f32.max).
    ...op.get(OUT), ...op.get(GATES), ...op.i32(3), ...op.shl, ...op.add,
    ...op.get(M),
    ...[0, 1, 2, 3].flatMap((l) => [...op.get(MX), ...op.f32x4ExtractLane(l), ...op.f32Max]),
    ...op.f64PromoteF32, ...op.f64Store(),
  ];
  return {
    name: 'squares',
    params: [I32, I32, I32, I32, I32],
    locals: [...new Array<ValType>(6).fill(I32), ...new Array<ValType>(3 * CHAINS).fill(V128), F32, F32, F32],
    body,
  };
}

// scaleAdd(x, a, y, b, out, count): out = x·a + y·b elementwise over `count` floats (byte addresses).
// prettier-ignore
const SX = 0, SA = 1, SY = 2, SB = 3, SOUT = 4, COUNT = 5;
// prettier-ignore
const I = 6, N4 = 7, N = 8, AV = 9, BV = 10;

function scaleAddFunction(): FunctionSpec {
  const element = (vector: boolean) => {
    const [load, store, mul, add] = vector
      ? [op.v128Load, op.v128Store, op.f32x4Mul, op.f32x4Add]
      : [op.f32Load, op.f32Store, op.f32Mul, op.f32Add];
    const [a, b] = vector ? [AV, BV] : [SA, SB];
    const at = (base: number) => [...op.get(base), ...op.get(I), ...op.add];
    // prettier-ignore
    return [
      ...at(SOUT),
      ...at(SX), ...load(), ...op.get(a), ...mul,
      ...at(SY), ...load(), ...op.get(b), ...mul,
      ...add, ...store(),
    ];
  };
  const loop = (end: number, step: number, vector: boolean) => [
    ...op.block,
    ...op.loop,
    ...op.get(I),
    ...op.get(end),
    ...op.geU,
    ...op.brIf(1),
    ...element(vector),
    ...op.get(I),
    ...op.i32(step),
    ...op.add,
    ...op.set(I),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  // prettier-ignore
  const body = [
    ...op.get(SA), ...op.f32x4Splat, ...op.set(AV), ...op.get(SB), ...op.f32x4Splat, ...op.set(BV),
    ...op.get(COUNT), ...op.i32(-4), ...op.and, ...op.i32(2), ...op.shl, ...op.set(N4),
    ...op.get(COUNT), ...op.i32(2), ...op.shl, ...op.set(N),
    ...op.i32(0), ...op.set(I),
    ...loop(N4, 16, true),
    ...loop(N, 4, false),
  ];
  return {
    name: 'scaleAdd',
    params: [I32, F32, I32, F32, I32, I32],
    locals: [I32, I32, I32, V128, V128],
    body,
  };
}

/** The two kernels bound to one wasm memory (byte addresses into it). */
export interface GradientPasses {
  /**
   * Adds each segment's sum of squares to the float64 at out + 8·(k mod gates) and stores the largest
   * |entry| as a float64 at out + 8·gates (the gate totals must start at 0).
   */
  squares(at: number, segments: number, length: number, gates: number, out: number): void;
  /** out = x·a + y·b over `count` floats (out may be x or y). */
  scaleAdd(x: number, a: number, y: number, b: number, out: number, count: number): void;
}

/** The kernels bound to `memory` (tfjs-wasm's heap), or null where V8 has no wasm SIMD. */
export const gradientPasses = kernelsBound(
  () => moduleBytes([squaresFunction(), scaleAddFunction()]),
  (exports): GradientPasses => ({
    squares: exports.squares as GradientPasses['squares'],
    scaleAdd: exports.scaleAdd as GradientPasses['scaleAdd'],
  }),
);
