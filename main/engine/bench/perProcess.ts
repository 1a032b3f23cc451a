// Each bench config in a process of its own: `rnn-studio bench` with several configs starts itself once
// per config (`--config NAME --json`, the same options), relays each child's progress lines and collects
// its JSON line.
//
// Why: a training run is one model in a fresh engine process (main/training/runProcess.ts), and one
// process that has trained other models first is not the same engine: V8's type feedback and optimized
// code carry the earlier configs' shapes. Measured 2026-12-05 on the final code: tag-bilstm's one-engine
// step took 120–122 ms in two of three all-config runs (after lm-lstm and cls-gru in the same process)
// and 97–99 ms in each of three runs of tag-bilstm alone (a fresh process can still land in a slow state:
// README, Performance).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { engineV8Flags } from '../../training/engineFlags.js';
import type { BenchName } from './configs.js';
import type { BenchResult } from './run.js';

/** The CLI's entry (runs the TypeScript CLI through tsx; see bin/rnn-studio.mjs). */
const CLI_ENTRY = fileURLToPath(new URL('../../../bin/rnn-studio.mjs', import.meta.url));

export interface PerProcessOptions {
  /** The bench options to repeat for each config (without --config and --json). */
  args: string[];
  /** Progress lines (the children's stderr, line by line). */
  log: (line: string) => void;
  /** The script each config runs in (tests); the CLI's entry by default. */
  entry?: string;
}

/** One config's result from its own process, or null (with a log line) when that process failed. */
function benchOne(name: BenchName, options: PerProcessOptions): Promise<BenchResult | null> {
  return new Promise((resolve) => {
    const child = fork(options.entry ?? CLI_ENTRY, ['bench', '--config', name, '--json', ...options.args], {
      execArgv: engineV8Flags(),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const stop = () => child.kill();
    process.once('exit', stop);
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      err += text;
      const lines = err.split('\n');
      err = lines.pop() ?? '';
      for (const line of lines) options.log(line);
    });
    const failed = (why: string) => {
      options.log(`${name}: not measured (its process ${why})`);
      resolve(null);
    };
    child.on('error', (error) => failed(`could not start: ${error.message}`));
    child.on('exit', (code, signal) => {
      process.removeListener('exit', stop);
      if (err) options.log(err);
      if (code !== 0) return failed(signal ? `was ended by ${signal}` : `exited with code ${code}`);
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      try {
        resolve(line ? (JSON.parse(line) as BenchResult) : null);
        if (!line) options.log(`${name}: not measured (its process printed no result)`);
      } catch {
        failed(`printed a result that is not JSON: ${line!.slice(0, 80)}`);
      }
    });
  });
}

/** The configs one after another, each in a fresh process; results in config order, failed ones left out. */
export async function benchPerProcess(
  names: BenchName[],
  options: PerProcessOptions,
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const name of names) {
    const result = await benchOne(name, options);
    if (result) results.push(result);
  }
  return results;
}
