// Relaxed SIMD for the engine's own wasm matrix product (core/engine/wasm/gemm.ts), which needs its
// fused multiply-add. Electron's V8 and Node 22+ ship relaxed SIMD; Node 20's V8 (11.3) has it behind
// `--experimental-wasm-relaxed-simd`. The flag is process-wide (worker threads see it) and only decides
// what new modules may validate; tfjs-wasm's own module does not use relaxed SIMD, so nothing else changes.
// Set once, before the first module that needs it compiles; if it still does not validate (an older
// V8), the engine keeps tfjs-wasm's XNNPACK product.
import v8 from 'node:v8';
import { webAssembly } from '../../core/engine/wasm/api.js';

// (module (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))
const RELAXED_MADD = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b,
  0x03, 0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02,
  0x0b,
]);

/** Whether this process validates relaxed SIMD, turning Node 20's flag on first when it does not. */
export function enableRelaxedSimd(): boolean {
  if (webAssembly.validate(RELAXED_MADD)) return true;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return webAssembly.validate(RELAXED_MADD);
}
