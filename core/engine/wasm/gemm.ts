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
import { kernelsBound } from './api.js';

/** Rows per block of packed A, columns per panel of packed B. */
export const ROWS = 6;
export const COLS = 8;

// Locals of `gemm`: its parameters, then its own.
// prettier-ignore
const AP = 0, A_STRIDE = 1, BP = 2, B_STRIDE = 3, K = 4, C = 5, LDC = 6, M = 7, N = 8, ADD = 9;
// prettier-ignore
const J0 = 10, I0 = 11, PANEL = 12, BLOCK = 13, PA = 14, PB = 15, KEND = 16, NC = 17, MC = 18, CP = 19;
// prettier-ignore
const ACC = 20, B0 = ACC + 2 * ROWS, B1 = B0 + 1, AV = B1 + 1, AVEC = AV + 1;
const acc = (r: number, half: number) => ACC + 2 * r + half;

/**
 * One k step of a tile of `rows` rows (6, or 4 or 2 for a block's last rows): B's two vectors, A's values
 * (one vector for rows 0–3, one for rows 2–5), 2·rows FMAs.
 */
function kStep(u: number, rows: number): number[] {
  const out = [
    ...op.get(PB),
    ...op.v128Load(u * 32),
    ...op.set(B0),
    ...op.get(PB),
    ...op.v128Load(u * 32 + 16),
    ...op.set(B1),
  ];
  for (let r = 0; r < rows; r++) {
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

/** Row r's 8 results (two vectors) into C at CP; with `add`, onto the values there. */
function storeFull(r: number, add: boolean): number[] {
  const out: number[] = [];
  for (const half of [0, 1]) {
    out.push(...op.get(CP), ...op.get(acc(r, half)));
    if (add) out.push(...op.get(CP), ...op.v128Load(16 * half), ...op.f32x4Add);
    out.push(...op.v128Store(16 * half));
  }
  return out;
}

/** The first nc of row r's results, lane by lane (the last, partial panel). */
function storePartial(r: number, add: boolean): number[] {
  const out: number[] = [];
  for (let q = 0; q < COLS; q++) {
    out.push(...op.get(NC), ...op.i32(q), ...op.gtS, ...op.if);
    out.push(...op.get(CP), ...op.get(acc(r, q >> 2)), ...op.f32x4ExtractLane(q & 3));
    if (add) out.push(...op.get(CP), ...op.f32Load(4 * q), ...op.f32Add);
    out.push(...op.f32Store(4 * q), ...op.end);
  }
  return out;
}

/**
 * The tile at rows I0.., columns J0.. (A's block at BLOCK, B's panel at PANEL): k two at a time, for the
 * first `rows` rows of the block. A block's last rows take a 4- or 2-row tile: at a batch of 32 (a
 * two-worker shard of 64) the 6-row tile computed 36 rows for 32.
 */
function tile(rows: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 2 * rows; i++) out.push(...op.v128Zero, ...op.set(ACC + i));
  // prettier-ignore
  out.push(
    ...op.get(BLOCK), ...op.set(PA), ...op.get(PANEL), ...op.set(PB),
    // KEND: past the last even k of this panel (32 bytes per k); an odd k is done after the loop.
    ...op.get(PB), ...op.get(K), ...op.i32(-2), ...op.and, ...op.i32(5), ...op.shl, ...op.add,
    ...op.set(KEND),
    ...op.block, ...op.get(PB), ...op.get(KEND), ...op.geU, ...op.brIf(0), ...op.loop,
    ...kStep(0, rows), ...kStep(1, rows),
    ...op.get(PA), ...op.i32(48), ...op.add, ...op.set(PA),
    ...op.get(PB), ...op.i32(64), ...op.add, ...op.set(PB),
    ...op.get(PB), ...op.get(KEND), ...op.ltU, ...op.brIf(0), ...op.end, ...op.end,
    ...op.get(K), ...op.i32(1), ...op.and, ...op.if, ...kStep(0, rows), ...op.end,
  );
  // Store the rows and columns that exist: whole vectors for a full panel, lane by lane for the last one.
  for (let r = 0; r < rows; r++) {
    // prettier-ignore
    out.push(
      ...op.get(MC), ...op.i32(r), ...op.gtS, ...op.if,
      ...op.get(C), ...op.get(I0), ...op.i32(r), ...op.add, ...op.get(LDC), ...op.mul, ...op.add,
      ...op.get(J0), ...op.i32(2), ...op.shl, ...op.add, ...op.set(CP),
      ...op.get(NC), ...op.i32(COLS), ...op.geS, ...op.if,
      ...op.get(ADD), ...op.if, ...storeFull(r, true), ...op.else, ...storeFull(r, false), ...op.end,
      ...op.else,
      ...op.get(ADD), ...op.if, ...storePartial(r, true), ...op.else, ...storePartial(r, false), ...op.end,
      ...op.end, ...op.end,
    );
  }
  return out;
}

function gemmFunction(): FunctionSpec {
  // prettier-ignore
  const body = [
    ...op.get(LDC), ...op.i32(2), ...op.shl, ...op.set(LDC), // bytes from here on
    ...op.i32(0), ...op.set(J0), ...op.get(BP), ...op.set(PANEL),
    ...op.block, ...op.loop,
    ...op.get(J0), ...op.get(N), ...op.geS, ...op.brIf(1),
    ...op.get(N), ...op.get(J0), ...op.sub, ...op.set(NC), // nc of this panel's 8 columns are real
    ...op.i32(0), ...op.set(I0), ...op.get(AP), ...op.set(BLOCK),
    ...op.block, ...op.loop,
    ...op.get(I0), ...op.get(M), ...op.geS, ...op.brIf(1),
    ...op.get(M), ...op.get(I0), ...op.sub, ...op.set(MC), // and mc of this block's 6 rows
    ...op.get(MC), ...op.i32(4), ...op.gtS, ...op.if, ...tile(ROWS), ...op.else,
    ...op.get(MC), ...op.i32(2), ...op.gtS, ...op.if, ...tile(4), ...op.else, ...tile(2), ...op.end,
    ...op.end,
    ...op.get(I0), ...op.i32(ROWS), ...op.add, ...op.set(I0),
    ...op.get(BLOCK), ...op.get(A_STRIDE), ...op.add, ...op.set(BLOCK), ...op.br(0),
    ...op.end, ...op.end,
    ...op.get(J0), ...op.i32(COLS), ...op.add, ...op.set(J0),
    ...op.get(PANEL), ...op.get(B_STRIDE), ...op.add, ...op.set(PANEL), ...op.br(0),
    ...op.end, ...op.end,
  ];
  const locals = [
    ...new Array<number>(CP - J0 + 1).fill(I32),
    ...new Array<number>(AVEC - ACC + 1).fill(V128),
  ];
  return {
    name: 'gemm',
    params: new Array(ADD + 1).fill(I32),
    locals: locals as FunctionSpec['locals'],
    body,
  };
}

/**
 * rows<width>(src, m, k, dst): the full blocks of `width` rows (6 for A, 8 for B taken from its transpose)
 * of row-major [m,k] into packed blocks (k×width floats each, row r of a block at lane r). The last,
 * partial block is packed in JS (`packRows`).
 */
function packRowsFunction(width: typeof ROWS | typeof COLS): FunctionSpec {
  // prettier-ignore
  const SRC = 0, PM = 1, PK = 2, DST = 3, BLOCK_END = 4, S = 5, D = 6, SEND = 7, LDA = 8;
  // prettier-ignore
  const body = [
    ...op.get(PK), ...op.i32(2), ...op.shl, ...op.set(LDA),
    // Full blocks end at row m − m mod width. D advances 4·width bytes per k, S one float per k.
    ...op.get(SRC), ...op.get(PM), ...op.get(PM), ...op.i32(width), ...op.remU, ...op.sub,
    ...op.get(LDA), ...op.mul, ...op.add, ...op.set(BLOCK_END),
    ...op.block, ...op.loop,
    ...op.get(SRC), ...op.get(BLOCK_END), ...op.geU, ...op.brIf(1),
    ...op.get(SRC), ...op.set(S), ...op.get(SRC), ...op.get(LDA), ...op.add, ...op.set(SEND),
    ...op.get(DST), ...op.set(D),
    ...op.block, ...op.loop,
    ...op.get(S), ...op.get(SEND), ...op.geU, ...op.brIf(1),
  ];
  for (let r = 0; r < width; r++) {
    // Lane r of this k: row r's value, at S + r·LDA.
    body.push(...op.get(D), ...op.get(S));
    for (let q = 0; q < r; q++) body.push(...op.get(LDA), ...op.add);
    body.push(...op.f32Load(0), ...op.f32Store(4 * r));
  }
  // prettier-ignore
  body.push(
    ...op.get(S), ...op.i32(4), ...op.add, ...op.set(S),
    ...op.get(D), ...op.i32(4 * width), ...op.add, ...op.set(D),
    ...op.br(0), ...op.end, ...op.end,
    ...op.get(SRC), ...op.get(LDA), ...op.i32(width), ...op.mul, ...op.add, ...op.set(SRC),
    ...op.get(DST), ...op.get(LDA), ...op.i32(width), ...op.mul, ...op.add, ...op.set(DST),
    ...op.br(0), ...op.end, ...op.end,
  );
  return { name: `rows${width}`, params: [I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32], body };
}

/**
 * panels<width>(src, k, n, dst): the full panels of `width` columns (8 for B, 6 for A taken from its
 * transpose) of row-major [k,n] at `src` into `dst` (k×width floats each). The last, partial panel is
 * packed in JS (`packPanels`).
 */
function panelsFunction(width: typeof ROWS | typeof COLS): FunctionSpec {
  // prettier-ignore
  const SRC = 0, PK = 1, PN = 2, DST = 3, J0 = 4, S = 5, D = 6, DEND = 7, LDS = 8;
  // Copy one row of a panel: two vectors (8 floats) or a vector and 8 bytes (6 floats).
  // prettier-ignore
  const copy = width === COLS
    ? [...op.get(D), ...op.get(S), ...op.v128Load(0), ...op.v128Store(0),
       ...op.get(D), ...op.get(S), ...op.v128Load(16), ...op.v128Store(16)]
    : [...op.get(D), ...op.get(S), ...op.v128Load(0), ...op.v128Store(0),
       ...op.get(D), ...op.get(S), ...op.i64Load(16), ...op.i64Store(16)];
  // prettier-ignore
  const body = [
    ...op.get(PN), ...op.i32(2), ...op.shl, ...op.set(LDS),
    ...op.i32(0), ...op.set(J0),
    ...op.block, ...op.loop,
    ...op.get(J0), ...op.i32(width), ...op.add, ...op.get(PN), ...op.gtS, ...op.brIf(1),
    ...op.get(SRC), ...op.get(J0), ...op.i32(2), ...op.shl, ...op.add, ...op.set(S),
    ...op.get(DST), ...op.get(J0), ...op.get(PK), ...op.mul, ...op.i32(2), ...op.shl, ...op.add, ...op.set(D),
    ...op.get(D), ...op.get(PK), ...op.i32(4 * width), ...op.mul, ...op.add, ...op.set(DEND),
    ...op.block, ...op.loop,
    ...op.get(D), ...op.get(DEND), ...op.geU, ...op.brIf(1),
    ...copy,
    ...op.get(S), ...op.get(LDS), ...op.add, ...op.set(S),
    ...op.get(D), ...op.i32(4 * width), ...op.add, ...op.set(D), ...op.br(0),
    ...op.end, ...op.end,
    ...op.get(J0), ...op.i32(width), ...op.add, ...op.set(J0), ...op.br(0),
    ...op.end, ...op.end,
  ];
  return { name: `panels${width}`, params: [I32, I32, I32, I32], locals: new Array(5).fill(I32), body };
}

export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  return moduleBytes([
    gemmFunction(),
    packRowsFunction(ROWS),
    packRowsFunction(COLS),
    panelsFunction(ROWS),
    panelsFunction(COLS),
  ]);
}

/**
 * C = A·B (or C += A·B with `add` 1) on byte addresses of one wasm memory: A packed by `packRows`, its
 * row blocks `aStride` bytes apart; B packed by `packColumns`, its panels `bStride` bytes apart; ldc in
 * floats. For whole operands the strides are k·24 and k·32 bytes; a product over part of k (cache
 * blocking, `packedProduct`) passes the whole operands' strides and addresses offset by k0·24 and k0·32.
 */
export type GemmCall = (
  ap: number,
  aStride: number,
  bp: number,
  bStride: number,
  k: number,
  c: number,
  ldc: number,
  m: number,
  n: number,
  add: 0 | 1,
) => void;

/** The module's exports bound to one memory. */
export interface WasmGemm {
  gemm: GemmCall;
  /** Packs the full blocks of 6 or 8 rows of row-major [m,k] at byte `src` into `dst` (`packRows`). */
  packFullBlocks: Record<number, (src: number, m: number, k: number, dst: number) => void>;
  /** Packs the full panels of 6 or 8 columns of row-major [k,n] at byte `src` into `dst` (`packPanels`). */
  packFullPanels: Record<number, (src: number, k: number, n: number, dst: number) => void>;
}

/**
 * The kernel bound to `memory` (tfjs-wasm's heap), or null without relaxed SIMD (keep XNNPACK then):
 * compiled once per process.
 */
export const wasmGemm = kernelsBound(gemmModuleBytes, (exports): WasmGemm => ({
  gemm: exports.gemm as GemmCall,
  packFullBlocks: {
    [ROWS]: exports[`rows${ROWS}`] as WasmGemm['packFullBlocks'][number],
    [COLS]: exports[`rows${COLS}`] as WasmGemm['packFullBlocks'][number],
  },
  packFullPanels: {
    [ROWS]: exports[`panels${ROWS}`] as WasmGemm['packFullPanels'][number],
    [COLS]: exports[`panels${COLS}`] as WasmGemm['packFullPanels'][number],
  },
}));

/**
 * Values of k per kernel call in `packedProduct`: a tile's slices of packed A (6×256 floats) and B
 * (8×256) take 14 KB together, so they stay in L1 while the tile runs.
 */
export const K_BLOCK = 256;

/**
 * C[m,n] = A·B for whole packed operands (byte addresses; ldc in floats), k in blocks of K_BLOCK, each
 * block's products added onto the last: [1024,6400]·[6400,257] ran at 25 GFLOP/s unblocked, its operands
 * streaming from L2.
 */
export function packedProduct(
  kernel: WasmGemm,
  ap: number,
  bp: number,
  k: number,
  c: number,
  ldc: number,
  m: number,
  n: number,
): void {
  for (let k0 = 0; k0 < k; k0 += K_BLOCK) {
    const kc = Math.min(K_BLOCK, k - k0);
    kernel.gemm(
      ap + k0 * 4 * ROWS,
      k * 4 * ROWS,
      bp + k0 * 4 * COLS,
      k * 4 * COLS,
      kc,
      c,
      ldc,
      m,
      n,
      k0 ? 1 : 0,
    );
  }
}

/** Floats `packRows` writes for A [m,k] (also `packPanels` with width 6 for A from its transpose [k,m]). */
export const packedRowsSize = (m: number, k: number) => Math.ceil(m / ROWS) * ROWS * k;
/** Floats `packPanels` writes for B [k,n] (panels of 8 columns). */
export const packedColumnsSize = (k: number, n: number) => Math.ceil(n / COLS) * COLS * k;

/**
 * Packs row-major [m,k] (float index `from` of `heap`) into blocks of `width` rows at float index `to`,
 * k×width floats each, the last one zero-padded: A's layout with width 6; with width 8, the layout of
 * B = the matrix's transpose [k,m] (its columns are the rows here). Full blocks in wasm, the last here.
 */
export function packRows(
  kernel: WasmGemm,
  heap: Float32Array,
  from: number,
  m: number,
  k: number,
  width: typeof ROWS | typeof COLS,
  to: number,
): void {
  kernel.packFullBlocks[width]!(from * 4, m, k, to * 4);
  const i0 = m - (m % width);
  if (i0 === m) return;
  const block = to + i0 * k;
  const mc = m - i0;
  for (let r = 0; r < mc; r++) {
    const src = from + (i0 + r) * k;
    for (let kk = 0; kk < k; kk++) heap[block + kk * width + r] = heap[src + kk]!;
  }
  for (let r = mc; r < width; r++) for (let kk = 0; kk < k; kk++) heap[block + kk * width + r] = 0;
}

/**
 * Packs row-major [k,n] (float index `from` of `heap`) into panels of `width` columns at float index `to`,
 * k×width floats each, the last one zero-padded: B's layout with width 8; with width 6, the layout of
 * A = the matrix's transpose [n,k] (its rows are the columns here), so a product by a transpose needs no
 * transposed copy. Full panels are copied in wasm, the partial one here.
 */
export function packPanels(
  kernel: WasmGemm,
  heap: Float32Array,
  from: number,
  k: number,
  n: number,
  width: typeof ROWS | typeof COLS,
  to: number,
): void {
  kernel.packFullPanels[width]!(from * 4, k, n, to * 4);
  const j0 = n - (n % width);
  if (j0 === n) return;
  const panel = to + j0 * k;
  const nc = n - j0;
  for (let kk = 0; kk < k; kk++) {
    const src = from + kk * n + j0;
    const dst = panel + kk * width;
    for (let j = 0; j < nc; j++) heap[dst + j] = heap[src + j]!;
    for (let j = nc; j < width; j++) heap[dst + j] = 0;
  }
}
