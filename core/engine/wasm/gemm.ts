// The engine's own single-precision matrix product over wasm memory: C[m,n] = A[m,k] · B[k,n], both
// operands packed first: A into blocks of 6 rows (k×6 floats each), B into panels of 8 columns (k×8
// floats each), both zero-padded. B is packed once and reused for many products (the recurrent weight at
// every time step); A is packed per product, a copy of m·k floats against 2·m·k·n operations.
//
// Why: the fused recurrent loops multiply by the same recurrent weight at every time step (forward h·U,
// backward dG·Uᵀ), two thirds of an LSTM language model's training arithmetic. tfjs-wasm's XNNPACK
// kernels multiply and add as two 128-bit instructions and broadcast A's values by loads; measured on
// this kind of x86 machine (scripts/bench/wasmGemm.mts) they run at 30–32 GFLOP/s. This kernel uses
// relaxed SIMD's fused multiply-add and broadcasts A's values from one vector load by shuffles, in tiles
// of 6 rows × 8 columns: 12 accumulators, two B vectors, the A vector and its broadcast, 16 registers.
// Relaxed SIMD is validated at start; without it `wasmGemm` returns null and callers keep XNNPACK,
// which is then as fast as anything 128-bit multiply-and-add can do.
//
// Each result is a float32 sum of products in k order, so it differs from XNNPACK's only by rounding
// (a fused multiply-add rounds once).
import { I32, V128, moduleBytes, op, type FunctionSpec } from './encode.js';

/** Rows per block of packed A, columns per panel of packed B. */
export const ROWS = 6;
export const COLS = 8;

// Locals of `gemm`: its parameters, then its own.
// prettier-ignore
const AP = 0, BP = 1, K = 2, C = 3, LDC = 4, M = 5, N = 6;
// prettier-ignore
const J0 = 7, I0 = 8, PANEL = 9, PA = 10, PB = 11, KEND = 12, NC = 13, MC = 14, CP = 15;
// prettier-ignore
const ACC = 16, B0 = ACC + 2 * ROWS, B1 = B0 + 1, AV = B1 + 1, AVEC = AV + 1;
const acc = (r: number, half: number) => ACC + 2 * r + half;

/** One k step: B's two vectors, A's 6 values (one vector for rows 0–3, one for rows 2–5), 12 FMAs. */
function kStep(u: number): number[] {
  const out = [
    ...op.get(PB),
    ...op.v128Load(u * 32),
    ...op.set(B0),
    ...op.get(PB),
    ...op.v128Load(u * 32 + 16),
    ...op.set(B1),
  ];
  for (let r = 0; r < ROWS; r++) {
    if (r === 0) out.push(...op.get(PA), ...op.v128Load(u * 24), ...op.set(AVEC));
    if (r === 4) out.push(...op.get(PA), ...op.v128Load(u * 24 + 8), ...op.set(AVEC));
    out.push(...op.get(AVEC), ...op.get(AVEC), ...op.f32x4Broadcast(r < 4 ? r : r - 2), ...op.set(AV));
    for (const [half, bv] of [
      [0, B0],
      [1, B1],
    ] as const) {
      const a = acc(r, half);
      out.push(...op.get(AV), ...op.get(bv), ...op.get(a), ...op.f32x4RelaxedMadd, ...op.set(a));
    }
  }
  return out;
}

/** The tile at rows I0.., columns J0..: k steps two at a time, then the odd one. */
function tile(): number[] {
  const out: number[] = [];
  for (let i = 0; i < 2 * ROWS; i++) out.push(...op.v128Zero, ...op.set(ACC + i));
  // This row block of packed A: AP + (I0/6)·k·24 bytes = AP + I0·k·4.
  out.push(
    ...op.get(AP),
    ...op.get(I0),
    ...op.get(K),
    ...op.mul,
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.set(PA),
  );
  out.push(...op.get(PANEL), ...op.set(PB));
  out.push(
    ...op.get(PB),
    ...op.get(K),
    ...op.i32(-2),
    ...op.and,
    ...op.i32(5),
    ...op.shl,
    ...op.add,
    ...op.set(KEND),
  );
  out.push(...op.block, ...op.get(PB), ...op.get(KEND), ...op.geU, ...op.brIf(0), ...op.loop);
  out.push(...kStep(0), ...kStep(1));
  out.push(
    ...op.get(PA),
    ...op.i32(48),
    ...op.add,
    ...op.set(PA),
    ...op.get(PB),
    ...op.i32(64),
    ...op.add,
    ...op.set(PB),
  );
  out.push(...op.get(PB), ...op.get(KEND), ...op.ltU, ...op.brIf(0), ...op.end, ...op.end);
  out.push(...op.get(K), ...op.i32(1), ...op.and, ...op.if, ...kStep(0), ...op.end);
  // Store the rows and columns that exist: whole vectors for a full panel, lane by lane for the last one.
  for (let r = 0; r < ROWS; r++) {
    out.push(...op.get(MC), ...op.i32(r), ...op.gtS, ...op.if);
    out.push(...op.get(C), ...op.get(I0), ...op.i32(r), ...op.add, ...op.get(LDC), ...op.mul, ...op.add);
    out.push(...op.get(J0), ...op.i32(2), ...op.shl, ...op.add, ...op.set(CP));
    out.push(...op.get(NC), ...op.i32(COLS), ...op.geS, ...op.if);
    out.push(
      ...op.get(CP),
      ...op.get(acc(r, 0)),
      ...op.v128Store(0),
      ...op.get(CP),
      ...op.get(acc(r, 1)),
      ...op.v128Store(16),
    );
    out.push(...op.else);
    for (let q = 0; q < COLS; q++) {
      out.push(...op.get(NC), ...op.i32(q), ...op.gtS, ...op.if);
      out.push(
        ...op.get(CP),
        ...op.get(acc(r, q >> 2)),
        ...op.f32x4ExtractLane(q & 3),
        ...op.f32Store(4 * q),
        ...op.end,
      );
    }
    out.push(...op.end, ...op.end);
  }
  return out;
}

function gemmFunction(): FunctionSpec {
  // prettier-ignore
  const body = [
    ...op.get(LDC), ...op.i32(2), ...op.shl, ...op.set(LDC), // bytes from here on
    ...op.i32(0), ...op.set(J0),
    ...op.block, ...op.loop,
    ...op.get(J0), ...op.get(N), ...op.geS, ...op.brIf(1),
    // This panel of packed B: BP + (j0/8)·k·32 bytes = BP + j0·k·4; nc of its columns are real.
    ...op.get(BP), ...op.get(J0), ...op.get(K), ...op.mul, ...op.i32(2), ...op.shl, ...op.add,
    ...op.set(PANEL),
    ...op.get(N), ...op.get(J0), ...op.sub, ...op.set(NC),
    ...op.i32(0), ...op.set(I0),
    ...op.block, ...op.loop,
    ...op.get(I0), ...op.get(M), ...op.geS, ...op.brIf(1),
    ...op.get(M), ...op.get(I0), ...op.sub, ...op.set(MC),
    ...tile(),
    ...op.get(I0), ...op.i32(ROWS), ...op.add, ...op.set(I0), ...op.br(0),
    ...op.end, ...op.end,
    ...op.get(J0), ...op.i32(COLS), ...op.add, ...op.set(J0), ...op.br(0),
    ...op.end, ...op.end,
  ];
  const locals = [
    ...new Array<number>(CP - J0 + 1).fill(I32),
    ...new Array<number>(AVEC - ACC + 1).fill(V128),
  ];
  return { name: 'gemm', params: new Array(N + 1).fill(I32), locals: locals as FunctionSpec['locals'], body };
}

/**
 * packRows(src, m, k, dst): the full blocks of 6 rows of row-major A [m,k] into packed blocks (k×6 floats
 * each, row r of a block at lane r). The last, partial block is packed in JS (`packRows`).
 */
function packRowsFunction(): FunctionSpec {
  // prettier-ignore
  const SRC = 0, PM = 1, PK = 2, DST = 3, BLOCK_END = 4, S = 5, D = 6, SEND = 7, LDA = 8;
  // prettier-ignore
  const body = [
    ...op.get(PK), ...op.i32(2), ...op.shl, ...op.set(LDA),
    // Full blocks end at row m − m mod 6. D advances 24 bytes per k, S one float per k.
    ...op.get(SRC), ...op.get(PM), ...op.get(PM), ...op.i32(ROWS), ...op.remU, ...op.sub,
    ...op.get(LDA), ...op.mul, ...op.add, ...op.set(BLOCK_END),
    ...op.block, ...op.loop,
    ...op.get(SRC), ...op.get(BLOCK_END), ...op.geU, ...op.brIf(1),
    ...op.get(SRC), ...op.set(S), ...op.get(SRC), ...op.get(LDA), ...op.add, ...op.set(SEND),
    ...op.get(DST), ...op.set(D),
    ...op.block, ...op.loop,
    ...op.get(S), ...op.get(SEND), ...op.geU, ...op.brIf(1),
  ];
  for (let r = 0; r < ROWS; r++) {
    // Lane r of this k: row r's value, at S + r·LDA.
    body.push(...op.get(D), ...op.get(S));
    for (let q = 0; q < r; q++) body.push(...op.get(LDA), ...op.add);
    body.push(...op.f32Load(0), ...op.f32Store(4 * r));
  }
  // prettier-ignore
  body.push(
    ...op.get(S), ...op.i32(4), ...op.add, ...op.set(S),
    ...op.get(D), ...op.i32(4 * ROWS), ...op.add, ...op.set(D),
    ...op.br(0), ...op.end, ...op.end,
    ...op.get(SRC), ...op.get(LDA), ...op.i32(ROWS), ...op.mul, ...op.add, ...op.set(SRC),
    ...op.get(DST), ...op.get(LDA), ...op.i32(ROWS), ...op.mul, ...op.add, ...op.set(DST),
    ...op.br(0), ...op.end, ...op.end,
  );
  return { name: 'packRows', params: [I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32], body };
}

export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  return moduleBytes([gemmFunction(), packRowsFunction()]);
}

/** C = A·B on byte addresses of one wasm memory; A packed by `packRows`, B by `packColumns`; ldc in floats. */
export type GemmCall = (
  ap: number,
  bp: number,
  k: number,
  c: number,
  ldc: number,
  m: number,
  n: number,
) => void;

let compiled: WebAssembly.Module | null | undefined;

/** Compiled once per process; null when the running V8 does not validate relaxed SIMD. */
function compile(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const bytes = gemmModuleBytes();
  compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  return compiled;
}

/** The module's exports bound to one memory. */
export interface WasmGemm {
  gemm: GemmCall;
  /** Packs the full 6-row blocks of row-major A [m,k] at byte `src` into `dst` (see `packRows`). */
  packFullBlocks(src: number, m: number, k: number, dst: number): void;
}

const instances = new WeakMap<WebAssembly.Memory, WasmGemm>();

/** The kernel bound to `memory` (tfjs-wasm's heap), or null without relaxed SIMD (keep XNNPACK then). */
export function wasmGemm(memory: WebAssembly.Memory): WasmGemm | null {
  const cached = instances.get(memory);
  if (cached) return cached;
  const module = compile();
  if (!module) return null;
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const made = {
    gemm: exports.gemm as GemmCall,
    packFullBlocks: exports.packRows as WasmGemm['packFullBlocks'],
  };
  instances.set(memory, made);
  return made;
}

/** Floats `packRows` writes for an [m,k] matrix. */
export const packedRowsSize = (m: number, k: number) => Math.ceil(m / ROWS) * ROWS * k;
/** Floats `packColumns` writes for a [k,n] matrix. */
export const packedColumnsSize = (k: number, n: number) => Math.ceil(n / COLS) * COLS * k;

/**
 * Packs row-major a [m,k] (float index `from` of `heap`) into blocks of 6 rows at float index `to`: the
 * full blocks in wasm, the last partial one (zero-padded) here.
 */
export function packRows(
  kernel: WasmGemm,
  heap: Float32Array,
  from: number,
  m: number,
  k: number,
  to: number,
): void {
  kernel.packFullBlocks(from * 4, m, k, to * 4);
  for (let i0 = m - (m % ROWS); i0 < m; i0 += ROWS) {
    const block = to + i0 * k;
    const mc = Math.min(ROWS, m - i0);
    for (let r = 0; r < mc; r++) {
      const src = from + (i0 + r) * k;
      for (let kk = 0; kk < k; kk++) heap[block + kk * ROWS + r] = heap[src + kk]!;
    }
    for (let r = mc; r < ROWS; r++) for (let kk = 0; kk < k; kk++) heap[block + kk * ROWS + r] = 0;
  }
}

/** Packs row-major w [k,n] (float index `from` of `heap`) into panels of 8 columns at float index `to`. */
export function packColumns(heap: Float32Array, from: number, k: number, n: number, to: number): void {
  for (let j0 = 0; j0 < n; j0 += COLS) {
    const panel = to + j0 * k;
    const nc = Math.min(COLS, n - j0);
    for (let kk = 0; kk < k; kk++) {
      const src = from + kk * n + j0;
      const dst = panel + kk * COLS;
      for (let j = 0; j < nc; j++) heap[dst + j] = heap[src + j]!;
      for (let j = nc; j < COLS; j++) heap[dst + j] = 0;
    }
  }
}
