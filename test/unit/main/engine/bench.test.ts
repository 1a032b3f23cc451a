// The bench's configs are exactly the PyTorch script's (parsed from scripts/bench/torch_bench.py), and the
// table shows ratios only where both figures exist. No timings are asserted.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  BENCH_CONFIGS,
  BENCH_NAMES,
  scaledConfig,
  sizesOf,
  tokensPerStep,
} from '../../../../main/engine/bench/configs.js';
import { formatBench, medianOf, warmingUp } from '../../../../main/engine/bench/run.js';
import { watchOtherLoad } from '../../../../main/engine/bench/otherLoad.js';
import { benchModel } from '../../../../main/engine/bench/ours.js';
import { runCli } from '../../../../main/cli/program.js';
import { capture } from '../cli/cliRun.js';
import type { CompiledModel } from '../../../../core/engine/compile.js';

describe('bench', () => {
  it('warms up for the minimum steps and time, then toward the steady steps until the time cap', () => {
    const w = { steps: 3, ms: 4000, steady: 250, maxMs: 20000 };
    expect(warmingUp(w, 2, 60000)).toBe(true); // fewer than the minimum steps, however long
    expect(warmingUp(w, 900, 3999)).toBe(true); // under the minimum time, however many steps
    expect(warmingUp(w, 100, 5000)).toBe(true); // toward the steady steps
    expect(warmingUp(w, 250, 5000)).toBe(false); // steady steps reached after the minimum time
    expect(warmingUp(w, 60, 20000)).toBe(false); // slow steps: the time cap ends it first
    // tfjs-layers: two steps and nothing more.
    const layers = { steps: 2, ms: 0, steady: 0, maxMs: 0 };
    expect(warmingUp(layers, 1, 9000)).toBe(true);
    expect(warmingUp(layers, 2, 0)).toBe(false);
  });

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

  it("builds s2s-attn as a graph (encoder, decoder, dot attention), PyTorch's parameter count", async () => {
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
    const common = {
      backend: 'wasm',
      clock: 'wall' as const,
      timed_steps: 7,
      other_cores: 0.02,
      machine: 'Test CPU, 2 cores',
    };
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
    expect(text).toMatch(/s2s-attn\s+wasm\s+1\s+500\s+1\.00x\s+—\s+—\s+—\s+—\s+0\.02/);
    // Once under the table, not per row: every config ran on one machine.
    expect(text.match(/machine: Test CPU, 2 cores\n/g)).toHaveLength(1);
  });

  it('scales batch, embedding and hidden sizes (not lengths), and says so in the table', () => {
    const tag = scaledConfig(BENCH_CONFIGS['tag-bilstm'], 0.25);
    expect(tag).toMatchObject({ B: 8, T: 50, V: 5000, E: 25, H: 32, C: 20 });
    expect(sizesOf(tag)).toBe('B8 T50 V5000 E25 H32 C20');
    expect(sizesOf(scaledConfig(BENCH_CONFIGS['s2s-attn'], 0.01))).toBe('B1 S30 T12 V40 E1 H1');
    expect(scaledConfig(BENCH_CONFIGS['lm-lstm'], 1)).toBe(BENCH_CONFIGS['lm-lstm']);
    const text = formatBench([
      {
        config: 'tag-bilstm',
        backend: 'webgpu',
        clock: 'wall',
        timed_steps: 7,
        other_cores: null,
        machine: 'Test CPU, 2 cores',
        workers: 1,
        engine_tokens_per_s: 500,
        engine_1_worker_tokens_per_s: 500,
        scaling: 1,
        tfjs_layers_tokens_per_s: 100,
        pytorch_tokens_per_s: null,
        pytorch_threads: null,
        scale: 0.25,
        sizes: sizesOf(tag),
      },
    ]);
    expect(text).toMatch(
      /tag-bilstm ×0\.25 \(B8 T50 V5000 E25 H32 C20\)\s+webgpu\s+1\s+500\s+1\.00x\s+100\s+—\s+5\.00x/,
    );
  });

  it('takes the median step time: the middle one, or the mean of the two middle ones', () => {
    expect(medianOf([30, 10, 20])).toBe(20);
    expect(medianOf([40, 10, 30, 20])).toBe(25);
    expect(medianOf([7])).toBe(7);
  });

  it.skipIf(process.platform !== 'linux')(
    "counts another process's CPU time while a figure is timed",
    async () => {
      const other = watchOtherLoad();
      const start = performance.now();
      // Another process that burns 0.4 s of CPU time, however long that takes on this machine.
      const child = spawn(process.execPath, [
        '-e',
        'let x = 0; while (process.cpuUsage().user < 400000) x += Math.sqrt(x + 1);',
      ]);
      await new Promise((resolve) => child.once('exit', resolve));
      const seconds = (performance.now() - start) / 1000;
      expect(other()! * seconds).toBeGreaterThanOrEqual(0.35);
    },
  );

  it('refuses a scale outside 0.01 to 1, saying so', async () => {
    for (const scale of ['2', '0', 'half']) {
      const { io, err } = capture();
      expect(await runCli(['bench', '--scale', scale, '--no-torch', '--no-layers'], io)).toBe(1);
      expect(err.join('')).toContain(`--scale must be a number from 0.01 to 1, not "${scale}"`);
    }
  });
});
