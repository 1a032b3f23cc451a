// The command line as a user meets it: every command listed in --help, --help on each command, and the
// exit codes (0 ok, 1 invalid input, 2 unreadable or internal) with messages that say what is wrong.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/program.js';
import { capture } from './cliRun.js';

const expectedCommands = [
  'templates',
  'new',
  'validate',
  'summary',
  'data',
  'train',
  'eval',
  'predict',
  'generate',
  'export',
  'bench',
  'serve',
];

describe('rnn-studio CLI', () => {
  it('--help lists every command', async () => {
    const { io, out } = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    const help = out.join('');
    for (const name of expectedCommands) expect(help).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
  });

  it('every command has its own --help', async () => {
    for (const name of expectedCommands) {
      const { io, out } = capture();
      expect(await runCli([name, '--help'], io)).toBe(0);
      expect(out.join('')).toContain(`Usage: rnn-studio ${name}`);
    }
  });

  it('an unknown command or option exits 1 and says so', async () => {
    const unknown = capture();
    expect(await runCli(['frobnicate'], unknown.io)).toBe(1);
    expect(unknown.err.join('')).toContain("unknown command 'frobnicate'");
    const badPort = capture();
    expect(await runCli(['serve', '--port', 'eighty'], badPort.io)).toBe(1);
    expect(badPort.err.join('')).toContain('--port must be a whole number from 0 to 65535, not "eighty"');
  });
});
