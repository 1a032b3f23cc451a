// The bench's configs are exactly the PyTorch script's (parsed from scripts/bench/torch_bench.py), and the
// table shows ratios only where both figures exist. No timings are asserted.
import { readFileSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BENCH_CONFIGS, BENCH_NAMES, tokensPerStep } from '../../../../main/engine/bench/configs.js';
import { formatBench } from '../../../../main/engine/bench/run.js';
import { benchModel } from '../../../../main/engine/bench/ours.js';
import type { CompiledModel } from '../../../../core/engine/compile.js';

describe('bench', () => {
  it('uses the same configs as the PyTorch reference script', () => {
    const py = readFileSync(new URL('../../../../scripts/bench/torch_bench.py', import.meta.url), 'utf8');
    for (const name of BENCH_NAMES) {
      const line = new RegExp(`"${name}": dict\\(([^)]*)\\)`).exec(py);
      expect(line, name).not.toBeNull();
      const fields = Object.fromEntries(
        line![1]!
          .split(',')
          .map((kv) => kv.trim().split('=') as [string, string])
          .map(([k, v]) => [k, Number(v)]),
      );
      const { name: _n, what: _w, ...ours } = BENCH_CONFIGS[name];
      expect(ours, name).toEqual(fields);
    }
    expect(tokensPerStep(BENCH_CONFIGS['s2s-attn'])).toBe(64 * (30 + 12));
  });

  it("builds s2s-attn as a studio graph (encoder, decoder, dot attention) with PyTorch's parameter count", async () => {
    await tf.setBackend('cpu');
    const { model } = benchModel(BENCH_CONFIGS['s2s-attn']);
    try {
      expect((model as CompiledModel).inference.nodes.attention?.params).toMatchObject({ score: 'dot' });
      expect(new Set(model.weights.map((w) => w.node))).toEqual(
        new Set(['sourceEmbed', 'encoder', 'targetEmbed', 'decoder', 'combine', 'next']),
      );
      // torch_bench.py's S2S: 2 embeddings 40x64, 2 GRUs 64->128 (two bias vectors each, as our reset-after
      // GRU keeps), Linear(256,128), Linear(128,40).
      const torchParameters =
        2 * 40 * 64 + 2 * (3 * 128 * (64 + 128) + 2 * 3 * 128) + (256 * 128 + 128) + (128 * 40 + 40);
      expect(model.weights.reduce((n, w) => n + w.variable.size, 0)).toBe(torchParameters);
    } finally {
      model.dispose();
    }
  });

  it("prints workers, scaling, PyTorch's thread count and ratios where both figures exist", () => {
    const common = { backend: 'wasm', clock: 'wall' as const };
    const text = formatBench([
      {
        ...common,
        config: 'lm-lstm',
        workers: 2,
        engine_tokens_per_s: 8000,
        engine_1_worker_tokens_per_s: 4400,
        scaling: 1.82,
        tfjs_layers_tokens_per_s: 1000,
        pytorch_tokens_per_s: 16000,
        pytorch_threads: 2,
      },
      {
        ...common,
        config: 's2s-attn',
        workers: 1,
        engine_tokens_per_s: 500,
        engine_1_worker_tokens_per_s: 500,
        scaling: 1,
        tfjs_layers_tokens_per_s: null,
        pytorch_tokens_per_s: null,
        pytorch_threads: null,
      },
    ]);
    expect(text).toMatch(/lm-lstm\s+wasm\s+2\s+8000\s+1\.82x\s+1000\s+16000 \(2t\)\s+8\.00x\s+0\.50x/);
    expect(text).toMatch(/s2s-attn\s+wasm\s+1\s+500\s+1\.00x\s+—\s+—\s+—\s+—/);
  });
});
