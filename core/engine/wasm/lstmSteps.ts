// The LSTM's per-step gate arithmetic in wasm SIMD, four units at a time, on one step's rows in wasm
// memory (gate order i, f, g, o as Keras):
//
// - `forward`: i, f, o = σ(x·W + b + h·U), g = tanh(…), c = f ⊙ c + i ⊙ g, h = o ⊙ tanh(c), from the
//   step's input rows and the recurrent product's output; writes the gates, c_{t-1} and tanh(c_t) for the
//   backward pass and updates h and c in place.
// - `backward`: the gates' pre-activation gradients from ∂loss/∂h_t and ∂loss/∂c_t, into the recurrent
//   product's input; ∂loss/∂c becomes ∂loss/∂c_{t-1}.
//
// Why: in JS these loops and their two sigmoid calls per step were about a tenth of a tag-bilstm shard's
// CPU samples (V8 profile), the matrix products most of the rest.
//
// σ and tanh as in gateLoops.ts. Rows whose mask value is ≤ 0 (padding) keep h, c and dc and get zero
// gates and gradients, as in the JS loops. All addresses are byte addresses in one memory; rows are
// [rows, 4H] for gate-wide buffers and [rows, H] for state-wide ones; H must be a multiple of 4.
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
 * forward(hu, xr, h, c, gates, cPrev, tanhC, mask, rows, H): hu = h·U [rows,4H] (the product's output),
 * xr = x·W + b [rows,4H]; h and c [rows,H] are updated in place; gates (i, f, g, o) [rows,4H], c_{t-1}
 * and tanh(c_t) [rows,H] are written.
 */
function forwardFunction(): FunctionSpec {
  const [HU, XR, HS, CS, GATES, CP, TC, MASK, ROWS, H] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const l = rowLocals(10);
  const [X, I, F, G, O, CV, T2, TCV] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => l.free + i) as Eight;
  const pre = (plus?: number) => [
    ...load(XR, l.j, plus),
    ...load(HU, l.j, plus),
    ...op.f32x4Add,
    ...op.set(X),
  ];
  // prettier-ignore
  const unit = [
    ...pre(), ...sigmoid(X, l.sigmoid), ...op.set(I),
    ...pre(l.hb), ...sigmoid(X, l.sigmoid), ...op.set(F),
    ...pre(l.hb2), ...tanh(X, T2, l.sigmoid), ...op.set(G),
    ...pre(l.hb3), ...sigmoid(X, l.sigmoid), ...op.set(O),
    ...store(GATES, l.j, op.get(I)), ...store(GATES, l.j, op.get(F), l.hb),
    ...store(GATES, l.j, op.get(G), l.hb2), ...store(GATES, l.j, op.get(O), l.hb3),
    // c_{t-1} kept; c = f·c + i·g; tanh(c) kept; h = o·tanh(c)
    ...load(CS, l.j), ...op.set(CV), ...store(CP, l.j, op.get(CV)),
    ...op.get(F), ...op.get(CV), ...op.f32x4Mul, ...op.get(I), ...op.get(G), ...op.f32x4Mul, ...op.f32x4Add,
    ...op.set(CV), ...store(CS, l.j, op.get(CV)),
    ...tanh(CV, T2, l.sigmoid), ...op.set(TCV), ...store(TC, l.j, op.get(TCV)),
    ...store(HS, l.j, [...op.get(O), ...op.get(TCV), ...op.f32x4Mul]),
  ];
  const spec = functionSpec('forward', 10, l, 8);
  spec.body = rows(
    { gates: 4, mask: MASK, rows: ROWS, h: H, gateWide: [HU, XR, GATES], stateWide: [HS, CS, CP, TC] },
    l,
    zeroRow(l, [GATES], [CP, TC]),
    forBytes(l.j, l.hb, unit),
  );
  return spec;
}

/**
 * backward(gates, tanhC, cPrev, dh, dc, dg, mask, rows, H): from the step's gates, tanh(c_t) and c_{t-1}
 * (as `forward` wrote them) and dh [rows,H], writes the gate gradients dg [rows,4H] and turns dc [rows,H]
 * from ∂loss/∂c_t into ∂loss/∂c_{t-1}.
 */
function backwardFunction(): FunctionSpec {
  const [GATES, TC, CP, DH, DC, DG, MASK, ROWS, H] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const l = rowLocals(9);
  const [I, F, G, O, TCV, D, DCJ] = [0, 1, 2, 3, 4, 5, 6].map((i) => l.free + i) as Eight;
  const c = op.f32x4Const;
  // σ'(a) as s·(1 − s) of the local holding s
  const dSigmoid = (s: number) => [...op.get(s), ...c(1), ...op.get(s), ...op.f32x4Sub, ...op.f32x4Mul];
  // prettier-ignore
  const unit = [
    ...load(GATES, l.j), ...op.set(I), ...load(GATES, l.j, l.hb), ...op.set(F),
    ...load(GATES, l.j, l.hb2), ...op.set(G), ...load(GATES, l.j, l.hb3), ...op.set(O),
    ...load(TC, l.j), ...op.set(TCV), ...load(DH, l.j), ...op.set(D),
    // dcj = dc + dh·o·(1 − tanh²c)
    ...load(DC, l.j), ...op.get(D), ...op.get(O), ...op.f32x4Mul,
    ...c(1), ...op.get(TCV), ...op.get(TCV), ...op.f32x4Mul, ...op.f32x4Sub, ...op.f32x4Mul,
    ...op.f32x4Add, ...op.set(DCJ),
    // di = dcj·g·i(1 − i); df = dcj·c_{t-1}·f(1 − f); dg = dcj·i·(1 − g²); do = dh·tanh c·o(1 − o)
    ...store(DG, l.j, [...op.get(DCJ), ...op.get(G), ...op.f32x4Mul, ...dSigmoid(I), ...op.f32x4Mul]),
    ...store(DG, l.j, [
      ...op.get(DCJ), ...load(CP, l.j), ...op.f32x4Mul, ...dSigmoid(F), ...op.f32x4Mul,
    ], l.hb),
    ...store(DG, l.j, [
      ...op.get(DCJ), ...op.get(I), ...op.f32x4Mul,
      ...c(1), ...op.get(G), ...op.get(G), ...op.f32x4Mul, ...op.f32x4Sub, ...op.f32x4Mul,
    ], l.hb2),
    ...store(DG, l.j, [...op.get(D), ...op.get(TCV), ...op.f32x4Mul, ...dSigmoid(O), ...op.f32x4Mul], l.hb3),
    ...store(DC, l.j, [...op.get(DCJ), ...op.get(F), ...op.f32x4Mul]),
  ];
  const spec = functionSpec('backward', 9, l, 8);
  spec.body = rows(
    { gates: 4, mask: MASK, rows: ROWS, h: H, gateWide: [GATES, DG], stateWide: [TC, CP, DH, DC] },
    l,
    zeroRow(l, [DG], []),
    forBytes(l.j, l.hb, unit),
  );
  return spec;
}

export function lstmStepsModuleBytes(): Uint8Array<ArrayBuffer> {
  return moduleBytes([forwardFunction(), backwardFunction()]);
}

type Call10 = (
  ...addresses: [number, number, number, number, number, number, number, number, number, number]
) => void;
type Call9 = (...addresses: [number, number, number, number, number, number, number, number, number]) => void;

/** The LSTM step kernels bound to one memory (byte addresses; 0 for no mask). */
export interface LstmSteps {
  forward: Call10;
  backward: Call9;
}

/** The kernels bound to `memory` (tfjs-wasm's heap), or null where this V8 has no wasm SIMD. */
export const wasmLstmSteps = kernelsBound(lstmStepsModuleBytes, (exports): LstmSteps => ({
  forward: exports.forward as Call10,
  backward: exports.backward as Call9,
}));
