// The bench's configs are exactly the PyTorch script's (parsed from scripts/bench/torch_bench.py), and the
// table shows ratios only where both figures exist. No timings are asserted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCH_CONFIGS, BENCH_NAMES, tokensPerStep } from '../../../../main/engine/bench/configs.js';
import { formatBench } from '../../../../main/engine/bench/run.js';

describe('bench', () => {
  it('uses the same configs as the PyTorch reference script', () => {
    const py = readFileSync(new URL('../../../../scripts/bench/torch_bench.py', import.meta.url), 'utf8');
    for (const name of BENCH_NAMES) {
      const line = new RegExp(`"${name}": dict\\(([^)]*)\\)`).exec(py);
      expect(line, name).not.toBeNull();
      const fields = Object.fromEntries(line![1]!.split(',').map((kv) => kv.trim().split('=') as [string, string]).map(([k, v]) => [k, Number(v)]));
      const { name: _n, what: _w, ...ours } = BENCH_CONFIGS[name];
      expect(ours, name).toEqual(fields);
    }
    expect(tokensPerStep(BENCH_CONFIGS['s2s-attn'])).toBe(64 * (30 + 12));
  });

  it('prints ratios where both figures exist', () => {
    const text = formatBench([
      { config: 'lm-lstm', backend: 'wasm', engine_tokens_per_s: 8000, tfjs_layers_tokens_per_s: 1000, pytorch_tokens_per_s: 16000, clock: 'wall' },
      { config: 's2s-attn', backend: 'wasm', engine_tokens_per_s: 500, tfjs_layers_tokens_per_s: null, pytorch_tokens_per_s: null, clock: 'wall' },
    ]);
    expect(text).toMatch(/lm-lstm\s+wasm\s+8000\s+1000\s+16000\s+8\.00x\s+0\.50x/);
    expect(text).toMatch(/s2s-attn\s+wasm\s+500\s+—\s+—\s+—\s+—/);
  });
});
