// `rnn-studio bench` over several configs runs each in its own process (main/engine/bench/perProcess.ts):
// every child gets its config, the same options and the engine's V8 flags; its progress lines reach the
// log whole; a child that fails or prints no result is named in the log and left out, the others kept.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchPerProcess } from '../../../../main/engine/bench/perProcess.js';
import { engineV8Flags } from '../../../../main/training/engineFlags.js';

const entry = fileURLToPath(new URL('../../../fixtures/bench/fakeCli.mjs', import.meta.url));

describe('bench, each config in a process of its own', () => {
  it('keeps each config’s result in order, logs progress whole, names the configs that failed', async () => {
    const log: string[] = [];
    const results = await benchPerProcess(['lm-lstm', 'cls-gru', 'tag-bilstm', 's2s-attn'], {
      args: ['--steps', '3', '--no-torch'],
      log: (line) => log.push(line),
      entry,
    });
    expect(results.map((r) => r.config)).toEqual(['lm-lstm', 's2s-attn']);
    expect((results[0] as unknown as { args: string[] }).args).toEqual([
      'bench',
      '--config',
      'lm-lstm',
      '--json',
      '--steps',
      '3',
      '--no-torch',
    ]);
    expect(log).toContain('lm-lstm: started');
    expect(log).toContain(`lm-lstm: flags ${engineV8Flags().join(' ')}`);
    expect(log).toContain('cls-gru: not measured (its process exited with code 3)');
    expect(log).toContain('tag-bilstm: not measured (its process printed no result)');
    expect(log.filter((l) => l.startsWith('s2s-attn'))).toHaveLength(2);
  });
});
