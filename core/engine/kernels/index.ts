// Kernels tfjs lacks on some backends, and wasm's copy kernels replaced. Called once after a backend
// is chosen.
import { registerUnsortedSegmentSum } from './unsortedSegmentSum.js';
import { registerWasmCopies } from './wasmCopies.js';

export function registerEngineKernels(backendName: string): void {
  registerUnsortedSegmentSum(backendName);
  registerWasmCopies(backendName);
}
