// The GRU's per-step gate arithmetic (PyTorch's reset-after placement) in wasm SIMD, four units at a
// time, on one step's rows in wasm memory:
//
// - `forward`: z = σ(xz + hz), r = σ(xr + hr), n = tanh(xn + r ⊙ (hn + bn)), h = z ⊙ h + (1 − z) ⊙ n,
//   from the step's input rows (x·W + biases) and the recurrent product's output; writes the gates and
//   hn + bn (the reset gate's gradient reads it) and updates h in place.
// - `backward`: the gates' pre-activation gradients from ∂loss/∂h_t: into the input projection's gradient
//   (daz, dar, dan) and the recurrent product's input (daz, dar, dan ⊙ r).
// - `passState`: ∂loss/∂h_{t-1} = ∂loss/∂h_t ⊙ z + the recurrent product's gradient (⊙ the recurrent
//   dropout mask, when there is one).
//
// Why: in JS these loops, with the two sigmoid calls per step they need, were about a fifth of a cls-gru
// training step's CPU samples (V8 profile, one engine, batch 64), the matrix products most of the rest.
//
// σ: e = exp(−|x|) by range reduction (x = n·ln2 + r, ln2 in two parts) and a degree-7 polynomial
// (relative error about 1e-8 on |r| ≤ ln2/2), σ(−|x|) = e / (1 + e), and 1 − that for x > 0; below −87 the
// argument is taken at −87 (σ there is 1.6e-38, nothing next to the values it is added to).
// tanh(a) = 2σ(2a) − 1 as in the JS loops. Plain SIMD, no relaxed instructions: it runs wherever wasm SIMD
// does. Rows whose mask value is ≤ 0 (padding) keep h and dh and get zero gates and gradients, as in the
// JS loops.
//
// All addresses are byte addresses in one memory; rows are [rows, 3H] for gate-wide buffers and [rows, H]
// for state-wide ones; H must be a multiple of 4 (`gruStepsFit`).
import { I32, V128, moduleBytes, op, type FunctionSpec } from './encode.js';
import { kernelsBound } from './api.js';

const LOG2E = Math.LOG2E;
// ln 2 as a float32 whose low bits are zero, plus the rest: n·LN2_HI is exact for |n| ≤ 127.
const LN2_HI = 0.693145751953125;
const LN2_LO = 1.428606765330187e-6;
/** Below this, exp() would leave float32's normal range: the argument is clamped here. */
const EXP_FLOOR = -87;

/** The v128 temporaries of `sigmoid`. */
interface SigmoidLocals {
  z: number;
  n: number;
  r: number;
  e: number;
  f: number;
}

/** σ(x) of the v128 local `x`, left on the stack. */
function sigmoid(x: number, l: SigmoidLocals): number[] {
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
function load(base: number, j: number, plus?: number): number[] {
  const out = [...op.get(base), ...op.get(j), ...op.add];
  if (plus !== undefined) out.push(...op.get(plus), ...op.add);
  return [...out, ...op.v128Load()];
}

/** Stores the v128 that `value` leaves on the stack at local `base` + local `j` (+ local `plus`). */
function store(base: number, j: number, value: number[], plus?: number): number[] {
  const out = [...op.get(base), ...op.get(j), ...op.add];
  if (plus !== undefined) out.push(...op.get(plus), ...op.add);
  return [...out, ...value, ...op.v128Store()];
}

/** `body` for j = 0, 16, … < local `end` (bytes), j in local `j`. */
function forBytes(j: number, end: number, body: number[]): number[] {
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

/** The locals after a function's parameters: the row loop's, then v128 temporaries. */
function rowLocals(first: number) {
  const v = first + 6;
  const sigmoid = { z: v, n: v + 1, r: v + 2, e: v + 3, f: v + 4 };
  return {
    b: first,
    hb: first + 1,
    hb2: first + 2,
    gb: first + 3,
    skip: first + 4,
    j: first + 5,
    v,
    sigmoid,
    free: v + 5,
  };
}
type RowLocals = ReturnType<typeof rowLocals>;
type Six = [number, number, number, number, number, number];
type Eight = [...Six, number, number];

/**
 * The row loop every function shares: `hb` = H·4, `hb2` = 2·hb, `gb` = 3·hb bytes; for each of `rows`
 * rows, `masked` when the row's mask value is ≤ 0 (mask address non-zero), else `body`; the address
 * parameters in `gateWide` ([rows,3H]) and `stateWide` ([rows,H]), those in `optional` ([rows,H], when
 * non-zero) and the mask then move to the next row.
 */
function rows(
  p: { mask: number; rows: number; h: number; gateWide: number[]; stateWide: number[]; optional?: number[] },
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
    ...op.get(l.hb), ...op.get(l.hb2), ...op.add, ...op.set(l.gb),
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

const zeroRow = (l: RowLocals, gateWide: number[], stateWide: number[]) => [
  ...gateWide.flatMap((a) => forBytes(l.j, l.gb, store(a, l.j, op.v128Zero))),
  ...stateWide.flatMap((a) => forBytes(l.j, l.hb, store(a, l.j, op.v128Zero))),
];

const functionSpec = (name: string, params: number, l: RowLocals, v128s: number): FunctionSpec => ({
  name,
  params: new Array(params).fill(I32),
  locals: [
    ...new Array<number>(l.v - l.b).fill(I32),
    ...new Array<number>(5 + v128s).fill(V128),
  ] as FunctionSpec['locals'],
  body: [],
});

/**
 * forward(hu, xr, bn, h, gates, hn, mask, rows, H): hu = h·U [rows,3H] (the product's output), xr = x·W
 * + biases [rows,3H] (the recurrent biases of z and r folded in), bn the candidate's recurrent bias [H];
 * h [rows,H] is updated in place; gates (z, r, n) [rows,3H] and hn = h·Un + bn [rows,H] are written.
 */
function forwardFunction(): FunctionSpec {
  const [HU, XR, BN, HS, GATES, HN, MASK, ROWS, H] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const l = rowLocals(9);
  const [X, Z, R, N, HNV, HV] = [0, 1, 2, 3, 4, 5].map((i) => l.free + i) as Six;
  const c = op.f32x4Const;
  // prettier-ignore
  const unit = [
    ...load(XR, l.j), ...load(HU, l.j), ...op.f32x4Add, ...op.set(X), ...sigmoid(X, l.sigmoid), ...op.set(Z),
    ...load(XR, l.j, l.hb), ...load(HU, l.j, l.hb), ...op.f32x4Add, ...op.set(X),
    ...sigmoid(X, l.sigmoid), ...op.set(R),
    ...load(HU, l.j, l.hb2), ...load(BN, l.j), ...op.f32x4Add, ...op.set(HNV),
    // n = 2σ(2(xn + r·hn)) − 1
    ...load(XR, l.j, l.hb2), ...op.get(R), ...op.get(HNV), ...op.f32x4Mul, ...op.f32x4Add,
    ...c(2), ...op.f32x4Mul, ...op.set(X),
    ...sigmoid(X, l.sigmoid), ...c(2), ...op.f32x4Mul, ...c(1), ...op.f32x4Sub, ...op.set(N),
    ...store(GATES, l.j, op.get(Z)),
    ...store(GATES, l.j, op.get(R), l.hb),
    ...store(GATES, l.j, op.get(N), l.hb2),
    ...store(HN, l.j, op.get(HNV)),
    // h = z·h + (1 − z)·n
    ...load(HS, l.j), ...op.set(HV),
    ...store(HS, l.j, [
      ...op.get(Z), ...op.get(HV), ...op.f32x4Mul,
      ...c(1), ...op.get(Z), ...op.f32x4Sub, ...op.get(N), ...op.f32x4Mul, ...op.f32x4Add,
    ]),
  ];
  const spec = functionSpec('forward', 9, l, 6);
  spec.body = rows(
    { mask: MASK, rows: ROWS, h: H, gateWide: [HU, XR, GATES], stateWide: [HS, HN] },
    l,
    zeroRow(l, [GATES], [HN]),
    forBytes(l.j, l.hb, unit),
  );
  return spec;
}

/**
 * backward(gates, hn, hPrev, dh, dxp, dhu, mask, rows, H): from the step's gates and hn (as `forward`
 * wrote them), h_{t-1} and dh = ∂loss/∂h_t [rows,H], writes dxp = (daz, dar, dan) [rows,3H] (the input
 * projection's gradient) and dhu = (daz, dar, dan·r) [rows,3H] (the recurrent product's input).
 */
function backwardFunction(): FunctionSpec {
  const [GATES, HN, HP, DH, DXP, DHU, MASK, ROWS, H] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const l = rowLocals(9);
  const [Z, R, N, D, OMZ, DAN, DAZ, DAR] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => l.free + i) as Eight;
  const c = op.f32x4Const;
  // prettier-ignore
  const unit = [
    ...load(GATES, l.j), ...op.set(Z), ...load(GATES, l.j, l.hb), ...op.set(R),
    ...load(GATES, l.j, l.hb2), ...op.set(N), ...load(DH, l.j), ...op.set(D),
    ...c(1), ...op.get(Z), ...op.f32x4Sub, ...op.set(OMZ),
    // dan = d·(1 − z)·(1 − n²); daz = d·(h_{t-1} − n)·z·(1 − z); dar = dan·hn·r·(1 − r)
    ...op.get(D), ...op.get(OMZ), ...op.f32x4Mul,
    ...c(1), ...op.get(N), ...op.get(N), ...op.f32x4Mul, ...op.f32x4Sub, ...op.f32x4Mul, ...op.set(DAN),
    ...op.get(D), ...load(HP, l.j), ...op.get(N), ...op.f32x4Sub, ...op.f32x4Mul,
    ...op.get(Z), ...op.f32x4Mul, ...op.get(OMZ), ...op.f32x4Mul, ...op.set(DAZ),
    ...op.get(DAN), ...load(HN, l.j), ...op.f32x4Mul, ...op.get(R), ...op.f32x4Mul,
    ...c(1), ...op.get(R), ...op.f32x4Sub, ...op.f32x4Mul, ...op.set(DAR),
    ...store(DXP, l.j, op.get(DAZ)), ...store(DXP, l.j, op.get(DAR), l.hb),
    ...store(DXP, l.j, op.get(DAN), l.hb2),
    ...store(DHU, l.j, op.get(DAZ)), ...store(DHU, l.j, op.get(DAR), l.hb),
    ...store(DHU, l.j, [...op.get(DAN), ...op.get(R), ...op.f32x4Mul], l.hb2),
  ];
  const spec = functionSpec('backward', 9, l, 8);
  spec.body = rows(
    { mask: MASK, rows: ROWS, h: H, gateWide: [GATES, DXP, DHU], stateWide: [HN, HP, DH] },
    l,
    zeroRow(l, [DXP, DHU], []),
    forBytes(l.j, l.hb, unit),
  );
  return spec;
}

/**
 * passState(dh, dhu, gates, drop, mask, rows, H): dh [rows,H] ← dh ⊙ z + dhu (⊙ drop when its address is
 * non-zero), where dhu [rows,H] is the recurrent product's gradient; padded rows keep dh.
 */
function passStateFunction(): FunctionSpec {
  const [DH, DHU, GATES, DROP, MASK, ROWS, H] = [0, 1, 2, 3, 4, 5, 6];
  const l = rowLocals(7);
  const IN = l.free;
  // prettier-ignore
  const unit = [
    ...load(DHU, l.j), ...op.set(IN),
    ...op.get(DROP), ...op.if, ...load(DROP, l.j), ...op.get(IN), ...op.f32x4Mul, ...op.set(IN), ...op.end,
    ...store(DH, l.j, [...load(DH, l.j), ...load(GATES, l.j), ...op.f32x4Mul, ...op.get(IN), ...op.f32x4Add]),
  ];
  const spec = functionSpec('passState', 7, l, 1);
  // The drop mask, when there is one, is [rows,H] too (address 0 stays 0: no mask).
  spec.body = rows(
    { mask: MASK, rows: ROWS, h: H, gateWide: [GATES], stateWide: [DH, DHU], optional: [DROP] },
    l,
    [],
    forBytes(l.j, l.hb, unit),
  );
  return spec;
}

export function gruStepsModuleBytes(): Uint8Array<ArrayBuffer> {
  return moduleBytes([forwardFunction(), backwardFunction(), passStateFunction()]);
}

type Call9 = (
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
  f: number,
  g: number,
  h: number,
  i: number,
) => void;
type Call7 = (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => void;

/** The GRU step kernels bound to one memory (byte addresses; 0 for no mask or no dropout). */
export interface GruSteps {
  forward: Call9;
  backward: Call9;
  passState: Call7;
}

/** Whether the kernels take this hidden size (four units per vector). */
export const gruStepsFit = (H: number) => H % 4 === 0;

/** The kernels bound to `memory` (tfjs-wasm's heap), or null where this V8 has no wasm SIMD. */
export const wasmGruSteps = kernelsBound(gruStepsModuleBytes, (exports): GruSteps => ({
  forward: exports.forward as Call9,
  backward: exports.backward as Call9,
  passState: exports.passState as Call7,
}));
