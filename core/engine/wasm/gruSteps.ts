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
// σ and tanh as in gateLoops.ts. Rows whose mask value is ≤ 0 (padding) keep h and dh and get zero
// gates and gradients, as in the JS loops.
//
// All addresses are byte addresses in one memory; rows are [rows, 3H] for gate-wide buffers and [rows, H]
// for state-wide ones; H must be a multiple of 4 (`fitsGateKernels`).
import { moduleBytes, op, type FunctionSpec } from './encode.js';
import {
  type Eight,
  forBytes,
  functionSpec,
  load,
  rowLocals,
  rows,
  sigmoid,
  store,
  tanh,
  zeroRow,
} from './gateLoops.js';
import { kernelsBound } from './api.js';

/**
 * forward(hu, xr, bn, h, gates, hn, mask, rows, H): hu = h·U [rows,3H] (the product's output), xr = x·W
 * + biases [rows,3H] (the recurrent biases of z and r folded in), bn the candidate's recurrent bias [H];
 * h [rows,H] is updated in place; gates (z, r, n) [rows,3H] and hn = h·Un + bn [rows,H] are written.
 */
function forwardFunction(): FunctionSpec {
  const [HU, XR, BN, HS, GATES, HN, MASK, ROWS, H] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const l = rowLocals(9);
  const [X, Z, R, N, HNV, HV, X2] = [0, 1, 2, 3, 4, 5, 6].map((i) => l.free + i) as Eight;
  const c = op.f32x4Const;
  // prettier-ignore
  const unit = [
    ...load(XR, l.j), ...load(HU, l.j), ...op.f32x4Add, ...op.set(X), ...sigmoid(X, l.sigmoid), ...op.set(Z),
    ...load(XR, l.j, l.hb), ...load(HU, l.j, l.hb), ...op.f32x4Add, ...op.set(X),
    ...sigmoid(X, l.sigmoid), ...op.set(R),
    ...load(HU, l.j, l.hb2), ...load(BN, l.j), ...op.f32x4Add, ...op.set(HNV),
    // n = tanh(xn + r·hn)
    ...load(XR, l.j, l.hb2), ...op.get(R), ...op.get(HNV), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(X),
    ...tanh(X, X2, l.sigmoid), ...op.set(N),
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
  const spec = functionSpec('forward', 9, l, 7);
  spec.body = rows(
    { gates: 3, mask: MASK, rows: ROWS, h: H, gateWide: [HU, XR, GATES], stateWide: [HS, HN] },
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
    { gates: 3, mask: MASK, rows: ROWS, h: H, gateWide: [GATES, DXP, DHU], stateWide: [HN, HP, DH] },
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
    { gates: 3, mask: MASK, rows: ROWS, h: H, gateWide: [GATES], stateWide: [DH, DHU], optional: [DROP] },
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

/** The kernels bound to `memory` (tfjs-wasm's heap), or null where this V8 has no wasm SIMD. */
export const wasmGruSteps = kernelsBound(gruStepsModuleBytes, (exports): GruSteps => ({
  forward: exports.forward as Call9,
  backward: exports.backward as Call9,
  passState: exports.passState as Call7,
}));
