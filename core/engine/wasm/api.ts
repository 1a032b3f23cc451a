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

/**
 * An engine kernel module's exports bound to a wasm memory: the module compiled once per process from
 * `bytes` (null from then on where this V8 does not validate it, e.g. no relaxed SIMD) and instantiated
 * once per memory, its exports turned by `bind` into what callers use.
 */
export function kernelsBound<T>(
  bytes: () => Uint8Array<ArrayBuffer>,
  bind: (exports: Record<string, unknown>) => T,
): (memory: WasmMemory) => T | null {
  let compiled: WasmModule | null | undefined;
  const instances = new WeakMap<WasmMemory, T>();
  return (memory) => {
    const cached = instances.get(memory);
    if (cached) return cached;
    if (compiled === undefined) {
      const b = bytes();
      compiled = webAssembly.validate(b) ? new webAssembly.Module(b) : null;
    }
    if (!compiled) return null;
    const made = bind(new webAssembly.Instance(compiled, { env: { memory } }).exports);
    instances.set(memory, made);
    return made;
  };
}
