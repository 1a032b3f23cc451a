// Kernels tfjs lacks on some backends. Called once after a backend is chosen.
import { registerUnsortedSegmentSum } from './unsortedSegmentSum.js';

export function registerEngineKernels(backendName: string): void {
  registerUnsortedSegmentSum(backendName);
}
