// The serve process's last resort: an error no handler caught is logged and the process goes on.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';

describe('keepServingOnUncaughtErrors', () => {
  it('logs an uncaught exception and an unhandled rejection, and the process keeps running', () => {
    const script = `
      import { keepServingOnUncaughtErrors } from './main/host/lastResort.ts';
      keepServingOnUncaughtErrors((text) => process.stderr.write(text));
      setTimeout(() => { throw new Error('boom in a timer'); }, 0);
      void Promise.reject(new Error('lost promise'));
      setTimeout(() => console.log('still running'), 0);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('still running\n');
    expect(run.stderr).toContain(
      'rnn-studio serve: unexpected error (still serving): Error: boom in a timer',
    );
    expect(run.stderr).toContain(
      'rnn-studio serve: unhandled promise rejection (still serving): Error: lost promise',
    );
  });

  it('without it the same script dies, so the test above proves the handler', () => {
    const script =
      `setTimeout(() => { throw new Error('boom in a timer'); }, 0); setTimeout(() ` +
      `=> console.log('still running'), 0);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
  });
});
