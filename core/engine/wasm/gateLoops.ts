// What the engine's per-step gate kernels (gruSteps.ts, lstmSteps.ts) are made of: σ and tanh of four
// lanes, loads and stores at a row pointer plus a byte offset, the loop over a row's units four at a time,
// and the loop over a step's rows with padding (mask ≤ 0) handled per row.
//
// σ: e = exp(−|x|) by range reduction (x = n·ln2 + r, ln2 in two parts) and a degree-7 polynomial
// (relative error about 1e-8 on |r| ≤ ln2/2), σ(−|x|) = e / (1 + e), and 1 − that for x > 0; below −87 the
// argument is taken at −87 (σ there is 1.6e-38, nothing next to the values it is added to).
// tanh(a) = 2σ(2a) − 1, as the JS loops compute it. Plain SIMD, no relaxed instructions: the kernels run
// wherever wasm SIMD does.
//
// Rows are [rows, gates·H] for gate-wide buffers and [rows, H] for state-wide ones, H a multiple of 4.
import { I32, V128, op, type FunctionSpec } from './encode.js';

/** Whether the gate kernels take this hidden size (four units per vector). */
export const fitsGateKernels = (H: number) => H % 4 === 0;

const LOG2E = Math.LOG2E;
// ln 2 as a float32 whose low bits are zero, plus the rest: n·LN2_HI is exact for |n| ≤ 127.
const LN2_HI = 0.693145751953125;
const LN2_LO = 1.428606765330187e-6;
/** Below this, exp() would leave float32's normal range: the argument is clamped here. */
const EXP_FLOOR = -87;

/** The v128 temporaries of `sigmoid`. */
export interface SigmoidLocals {
  z: number;
  n: number;
  r: number;
  e: number;
  f: number;
}

/** σ(x) of the v128 local `x`, left on the stack. */
export function sigmoid(x: number, l: SigmoidLocals): number[] {
  const c = op.f32x4Const;
  const horner = [1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1];
  const poly: number[] = [...op.get(l.r), ...c(horner[0]!), ...op.f32x4Mul];
  for (let i = 1; i < horner.length; i++) {
    poly.push(...c(horner[i]!), ...op.f32x4Add);
    if (i < horner.length - 1) poly.push(...op.get(l.r), ...op.f32x4Mul);
  }
  // prettier-ignore
  return [
    // z = max(−|x|, −87); n = nearest(z·log2 e); r = z − n·ln2
    ...op.get(x), ...op.f32x4Abs, ...op.f32x4Neg, ...c(EXP_FLOOR), ...op.f32x4Max, ...op.set(l.z),
    ...op.get(l.z), ...c(LOG2E), ...op.f32x4Mul, ...op.f32x4Nearest, ...op.set(l.n),
    ...op.get(l.z), ...op.get(l.n), ...c(LN2_HI), ...op.f32x4Mul, ...op.f32x4Sub,
    ...op.get(l.n), ...c(LN2_LO), ...op.f32x4Mul, ...op.f32x4Sub, ...op.set(l.r),
    // e = p(r) · 2^n, 2^n built in the exponent bits
    ...poly,
    ...op.get(l.n), ...op.i32x4TruncSatF32x4S, ...op.i32x4Const(127), ...op.i32x4Add,
    ...op.i32(23), ...op.i32x4Shl, ...op.f32x4Mul, ...op.set(l.e),
    // f = σ(−|x|) = e / (1 + e); x > 0: 1 − f
    ...op.get(l.e), ...op.get(l.e), ...c(1), ...op.f32x4Add, ...op.f32x4Div, ...op.set(l.f),
    ...c(1), ...op.get(l.f), ...op.f32x4Sub, ...op.get(l.f),
    ...op.get(x), ...op.v128Zero, ...op.f32x4Gt, ...op.v128Bitselect,
  ];
}

/** Loads the v128 at local `base` + local `j` (+ local `plus`, when given). */
export function load(base: number, j: number, plus?: number): number[] {
  const out = [...op.get(base), ...op.get(j), ...op.add];
  if (plus !== undefined) out.push(...op.get(plus), ...op.add);
  return [...out, ...op.v128Load()];
}

/** Stores the v128 that `value` leaves on the stack at local `base` + local `j` (+ local `plus`). */
export function store(base: number, j: number, value: number[], plus?: number): number[] {
  const out = [...op.get(base), ...op.get(j), ...op.add];
  if (plus !== undefined) out.push(...op.get(plus), ...op.add);
  return [...out, ...value, ...op.v128Store()];
}

/** `body` for j = 0, 16, … < local `end` (bytes), j in local `j`. */
export function forBytes(j: number, end: number, body: number[]): number[] {
  // prettier-ignore
  return [
    ...op.i32(0), ...op.set(j),
    ...op.block, ...op.loop,
    ...op.get(j), ...op.get(end), ...op.geU, ...op.brIf(1),
    ...body,
    ...op.get(j), ...op.i32(16), ...op.add, ...op.set(j), ...op.br(0),
    ...op.end, ...op.end,
  ];
}

/** The locals after a function's parameters: the row loop's, then v128 temporaries (`free` onwards). */
export function rowLocals(first: number) {
  const [b, hb, hb2, hb3, gb, skip, j] = [0, 1, 2, 3, 4, 5, 6].map((i) => first + i) as Seven;
  const v = first + 7;
  const sigmoid = { z: v, n: v + 1, r: v + 2, e: v + 3, f: v + 4 };
  return { b, hb, hb2, hb3, gb, skip, j, v, sigmoid, free: v + 5 };
}
export type RowLocals = ReturnType<typeof rowLocals>;
export type Six = [number, number, number, number, number, number];
type Seven = [...Six, number];
export type Eight = [...Six, number, number];

/**
 * The row loop every function shares: `hb` = H·4 bytes, `hb2` and `hb3` its multiples, `gb` = gates·hb;
 * for each of `rows` rows, `masked` when the row's mask value is ≤ 0 (mask address non-zero), else
 * `body`; the address parameters in `gateWide` ([rows,gates·H]) and `stateWide` ([rows,H]), those in
 * `optional` ([rows,H], when non-zero) and the mask then move to the next row.
 */
export function rows(
  p: {
    gates: 3 | 4;
    mask: number;
    rows: number;
    h: number;
    gateWide: number[];
    stateWide: number[];
    optional?: number[];
  },
  l: RowLocals,
  masked: number[],
  body: number[],
): number[] {
  const advance = (params: number[], by: number) =>
    params.flatMap((a) => [...op.get(a), ...op.get(by), ...op.add, ...op.set(a)]);
  // prettier-ignore
  return [
    ...op.get(p.h), ...op.i32(2), ...op.shl, ...op.set(l.hb),
    ...op.get(l.hb), ...op.i32(1), ...op.shl, ...op.set(l.hb2),
    ...op.get(l.hb), ...op.get(l.hb2), ...op.add, ...op.set(l.hb3),
    ...op.get(l.hb), ...op.i32(p.gates), ...op.mul, ...op.set(l.gb),
    ...op.i32(0), ...op.set(l.b),
    ...op.block, ...op.loop,
    ...op.get(l.b), ...op.get(p.rows), ...op.geU, ...op.brIf(1),
    ...op.i32(0), ...op.set(l.skip),
    ...op.get(p.mask), ...op.if,
    ...op.get(p.mask), ...op.f32Load(), ...op.f32Const0, ...op.f32Le, ...op.set(l.skip),
    ...op.get(p.mask), ...op.i32(4), ...op.add, ...op.set(p.mask),
    ...op.end,
    ...op.get(l.skip), ...op.if, ...masked, ...op.else, ...body, ...op.end,
    ...advance(p.gateWide, l.gb), ...advance(p.stateWide, l.hb),
    ...(p.optional ?? []).flatMap((a) => [...op.get(a), ...op.if, ...advance([a], l.hb), ...op.end]),
    ...op.get(l.b), ...op.i32(1), ...op.add, ...op.set(l.b), ...op.br(0),
    ...op.end, ...op.end,
  ];
}

export const zeroRow = (l: RowLocals, gateWide: number[], stateWide: number[]) => [
  ...gateWide.flatMap((a) => forBytes(l.j, l.gb, store(a, l.j, op.v128Zero))),
  ...stateWide.flatMap((a) => forBytes(l.j, l.hb, store(a, l.j, op.v128Zero))),
];

export const functionSpec = (name: string, params: number, l: RowLocals, v128s: number): FunctionSpec => ({
  name,
  params: new Array(params).fill(I32),
  locals: [
    ...new Array<number>(l.v - l.b).fill(I32),
    ...new Array<number>(5 + v128s).fill(V128),
  ] as FunctionSpec['locals'],
  body: [],
});

/** tanh(x) of the v128 local `x` as 2σ(2x) − 1, left on the stack; `doubled` is a free v128 local. */
export function tanh(x: number, doubled: number, l: SigmoidLocals): number[] {
  const c = op.f32x4Const;
  // prettier-ignore
  return [
    ...op.get(x), ...c(2), ...op.f32x4Mul, ...op.set(doubled),
    ...sigmoid(doubled, l), ...c(2), ...op.f32x4Mul, ...c(1), ...op.f32x4Sub,
  ];
}
