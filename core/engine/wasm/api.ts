// The WebAssembly JavaScript API, as much of it as the engine's own kernels use, typed here.
//
// Why: core/ compiles against the ES library alone (no DOM library, no Node types, so it stays runnable
// in any JS host), and TypeScript declares the `WebAssembly` global only in the DOM library. Node,
// Electron and browsers all provide it at run time.

/** A wasm linear memory (tfjs-wasm's heap, or one a test makes). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** A compiled module (opaque to the engine). */
export type WasmModule = object;

interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule;
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => WasmMemory;
}

/** The host's `WebAssembly` global. */
export const webAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Whether `value` is a WebAssembly.Memory. */
export function isWasmMemory(value: unknown): value is WasmMemory {
  return value instanceof webAssembly.Memory;
}
