// A small WebAssembly binary writer: just what the engine's own wasm kernels need (one imported memory,
// i32 and v128 locals, structured loops, SIMD loads, stores and arithmetic).
//
// Why our own: the kernels are generated at start-up (unrolled, with or without relaxed SIMD depending on
// what the running V8 validates), and a wasm toolchain is neither on users' machines nor in our
// dependencies. The encoding follows the WebAssembly core spec's binary format (sections 5.x) and the
// SIMD and relaxed-SIMD proposals' opcode tables.

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof V128;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

/** Signed LEB128 (i32 constants). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const SIMD = 0xfd;
/** Memory argument: alignment exponent and constant byte offset. */
const memarg = (alignLog2: number, offset: number) => [alignLog2, ...uleb(offset)];

const repeat4 = (bytes: Uint8Array) => [...bytes, ...bytes, ...bytes, ...bytes];

/** Instruction emitters; each returns its bytes so bodies read as flat lists. */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (n: number) => [0x41, ...sleb(n)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  shl: [0x74],
  remU: [0x70],
  ltU: [0x49],
  geU: [0x4f],
  ltS: [0x48],
  geS: [0x4e],
  gtS: [0x4a],
  eq: [0x46],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  f32Load: (offset = 0) => [0x2a, ...memarg(2, offset)],
  f32Store: (offset = 0) => [0x38, ...memarg(2, offset)],
  f32Add: [0x92],
  f32Sub: [0x93],
  f32Mul: [0x94],
  f32Div: [0x95],
  f32Sqrt: [0x91],
  f32Abs: [0x8b],
  f32Max: [0x97],
  f64Load: (offset = 0) => [0x2b, ...memarg(3, offset)],
  f64Store: (offset = 0) => [0x39, ...memarg(3, offset)],
  f64Add: [0xa0],
  f64PromoteF32: [0xbb],
  f32Const0: [0x43, 0, 0, 0, 0],
  f32Le: [0x5f],
  i64Load: (offset = 0) => [0x29, ...memarg(3, offset)],
  i64Store: (offset = 0) => [0x37, ...memarg(3, offset)],
  v128Load: (offset = 0) => [SIMD, 0x00, ...memarg(4, offset)],
  v128Store: (offset = 0) => [SIMD, 0x0b, ...memarg(4, offset)],
  load32Splat: (offset = 0) => [SIMD, 0x09, ...memarg(2, offset)],
  v128Zero: [SIMD, 0x0c, ...new Array<number>(16).fill(0)],
  /** Lane `lane` of a v128 (on the stack twice) broadcast to all four lanes. */
  f32x4Broadcast: (lane: number) => [SIMD, 0x0d, ...Array.from({ length: 16 }, (_, i) => lane * 4 + (i % 4))],
  f32x4ExtractLane: (lane: number) => [SIMD, 0x1f, lane],
  f32x4Splat: [SIMD, 0x13],
  f32x4Abs: [SIMD, ...uleb(0xe0)],
  f32x4Sqrt: [SIMD, ...uleb(0xe3)],
  f32x4Add: [SIMD, ...uleb(0xe4)],
  f32x4Sub: [SIMD, ...uleb(0xe5)],
  f32x4Div: [SIMD, ...uleb(0xe7)],
  f32x4Mul: [SIMD, ...uleb(0xe6)],
  f32x4Max: [SIMD, ...uleb(0xe9)],
  f32x4Neg: [SIMD, ...uleb(0xe1)],
  f32x4Nearest: [SIMD, ...uleb(0x6a)],
  f32x4Gt: [SIMD, ...uleb(0x44)],
  v128Bitselect: [SIMD, ...uleb(0x52)],
  i32x4Add: [SIMD, ...uleb(0xae)],
  i32x4Shl: [SIMD, ...uleb(0xab)],
  i32x4TruncSatF32x4S: [SIMD, ...uleb(0xf8)],
  /** Four equal float32 lanes as a constant. */
  f32x4Const: (x: number) => [SIMD, 0x0c, ...repeat4(new Uint8Array(new Float32Array([x]).buffer))],
  /** Four equal int32 lanes as a constant. */
  i32x4Const: (x: number) => [SIMD, 0x0c, ...repeat4(new Uint8Array(new Int32Array([x]).buffer))],
  /** a·b + c, fused where the CPU has FMA (relaxed SIMD: the result may or may not be rounded twice). */
  f32x4RelaxedMadd: [SIMD, ...uleb(0x105)],
};

export interface FunctionSpec {
  name: string;
  params: ValType[];
  /** Extra locals, in order after the parameters. */
  locals: ValType[];
  body: number[];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];

/** A module importing `env.memory` and exporting the given functions (no results: they write memory). */
export function moduleBytes(functions: FunctionSpec[]): Uint8Array<ArrayBuffer> {
  const types = section(1, vec(functions.map((f) => [0x60, ...uleb(f.params.length), ...f.params, 0])));
  const imports = section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]]));
  const funcs = section(3, vec(functions.map((_, i) => uleb(i))));
  const exports = section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const codes = section(
    10,
    vec(
      functions.map((f) => {
        // Locals as runs of one type.
        const runs: number[][] = [];
        for (const t of f.locals) {
          const last = runs[runs.length - 1];
          if (last && last[1] === t) last[0]!++;
          else runs.push([1, t]);
        }
        const body = [...uleb(runs.length), ...runs.flatMap(([n, t]) => [...uleb(n!), t!]), ...f.body, 0x0b];
        return [...uleb(body.length), ...body];
      }),
    ),
  );
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...imports,
    ...funcs,
    ...exports,
    ...codes,
  ]);
}
