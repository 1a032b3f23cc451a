// The title bar's badge names the backend a run trains on while it is underway (a forced webgpu run said
// "Backend: wasm" before), and this machine's first rung otherwise.
import { describe, expect, it } from 'vitest';
import { backendBadge } from '../../../../renderer/src/components/backendBadge.js';

const gpuRun = 'webgpu (google swiftshader, vulkan)';

describe('backend badge', () => {
  it('says the run backend while a run is underway, its full line on hover', () => {
    for (const status of ['starting', 'running', 'pausing', 'paused'] as const) {
      expect(backendBadge(status, gpuRun, 'wasm')).toEqual({ text: 'Training on: webgpu', title: gpuRun });
    }
    expect(backendBadge('running', 'wasm (auto: wasm 25 ms/step; webgpu 281 ms/step)', 'wasm').text).toBe(
      'Training on: wasm',
    );
  });

  it("says this machine's first rung when nothing trains, or before the run names its backend", () => {
    for (const status of ['idle', 'completed', 'stopped', 'failed'] as const) {
      expect(backendBadge(status, gpuRun, 'wasm').text).toBe('Backend: wasm');
    }
    expect(backendBadge('starting', '', 'wasm').text).toBe('Backend: wasm');
    expect(backendBadge('idle', '', null)).toEqual({ text: 'Backend: not known yet', title: '' });
  });
});
