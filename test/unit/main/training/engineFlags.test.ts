import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  engineV8Flags,
  INITIAL_OLD_SPACE_MB,
  missingEngineFlags,
} from '../../../../main/training/engineFlags.js';

describe('engine V8 flags', () => {
  it('start the old generation at 128 MB, within a run heap limit when there is one', () => {
    expect(engineV8Flags()).toEqual([`--initial-old-space-size=${INITIAL_OLD_SPACE_MB}`]);
    expect(engineV8Flags(4096)).toEqual(['--initial-old-space-size=128', '--max-old-space-size=4096']);
    expect(engineV8Flags(64)).toEqual(['--initial-old-space-size=64', '--max-old-space-size=64']);
  });

  it('are accepted by this Node, which then reports the heap limit asked for', () => {
    const run = spawnSync(
      process.execPath,
      [...engineV8Flags(96), '-e', 'console.log(require("node:v8").getHeapStatistics().heap_size_limit)'],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // 96 MB of old generation plus the young generation, against the default of gigabytes.
    expect(Number(run.stdout)).toBeGreaterThan(96e6);
    expect(Number(run.stdout)).toBeLessThan(200e6);
  });

  it('are the ones the CLI starts with (bench trains in the CLI process)', () => {
    const firstLine = readFileSync(new URL('../../../../bin/rnn-studio.mjs', import.meta.url), 'utf8').split(
      '\n',
    )[0];
    expect(firstLine).toBe(`#!/usr/bin/env -S node ${engineV8Flags().join(' ')}`);
  });

  it('are the ones `npm run verify` starts each long run with', () => {
    const script = readFileSync(new URL('../../../../scripts/verify.mjs', import.meta.url), 'utf8');
    const list = engineV8Flags()
      .map((f) => `'${f}'`)
      .join(', ');
    expect(script).toContain(`const ENGINE_FLAGS = [${list}];`);
  });

  it('name the ones a process was started without', () => {
    expect(missingEngineFlags(['--import', 'tsx'])).toEqual(['--initial-old-space-size=128']);
    expect(missingEngineFlags(['--initial-old-space-size=128', '--import', 'tsx'])).toEqual([]);
  });
});
