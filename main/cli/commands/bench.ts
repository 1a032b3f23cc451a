// `rnn-studio bench [--config NAME] [--json]`: training throughput of our engine, plain tfjs-layers and
// PyTorch on the same configs, side by side (main/engine/bench). One JSON object per config with --json.
import { availableParallelism } from 'node:os';
import { BACKEND_CHOICES_TEXT, type BackendChoice, isBackendChoice } from '../../../core/api/backends.js';
import { resolveWorkers } from '../../../core/training/config.js';
import { CliError, parseWorkersOption, wholeNumberFlag, type CliCommand } from '../command.js';
import { selectBackend } from '../../engine/backend.js';
import { BENCH_NAMES, type BenchName, isBenchName } from '../../engine/bench/configs.js';
import { benchMachine } from '../../engine/bench/machine.js';
import { benchPerProcess } from '../../engine/bench/perProcess.js';
import { type BenchResult, formatBench, runBench } from '../../engine/bench/run.js';

export const benchCommand: CliCommand = {
  name: 'bench',
  register(program, io) {
    program
      .command('bench')
      .description(
        'Training throughput (tokens/s) of the studio engine vs plain tfjs-layers vs PyTorch on the ' +
          'benchmark configs.',
      )
      .option('--config <name>', `one of: ${BENCH_NAMES.join(', ')} (default: all)`)
      .option('--json', 'one JSON object per config and line')
      .option(
        '--steps <n>',
        'timed training steps per engine, at least (and at least 5 s), after a warm-up of at least 3 ' +
          'steps and 4 s; the median step counts (tfjs-layers: this many, halved, after 2 warm-up steps)',
        '15',
      )
      .option('--backend <name>', BACKEND_CHOICES_TEXT, 'auto')
      .option(
        '--workers <n>',
        'engines training data-parallel: auto (cores - 1) or a number; scaling is over 1 worker',
        'auto',
      )
      .option('--no-layers', 'skip plain tfjs-layers (it takes seconds per step)')
      .option('--no-torch', 'skip PyTorch')
      .option(
        '--scale <factor>',
        'batch, embedding and hidden sizes times this factor (lengths kept), from 0.01 to 1, for slow ' +
          'backends; PyTorch is then not measured',
        '1',
      )
      .option('--cpu-time', 'time steps by process CPU time, not the wall clock (for a busy machine)')
      .action(
        async (options: {
          config?: string;
          json?: boolean;
          steps: string;
          backend: string;
          workers: string;
          layers: boolean;
          torch: boolean;
          cpuTime?: boolean;
          scale: string;
        }) => {
          if (options.config !== undefined && !isBenchName(options.config))
            throw new CliError(`--config must be one of ${BENCH_NAMES.join(', ')}, not "${options.config}".`);
          const steps = wholeNumberFlag(options.steps, '--steps', 1, 1000);
          if (!isBackendChoice(options.backend))
            throw new CliError(`--backend must be ${BACKEND_CHOICES_TEXT}, not "${options.backend}".`);
          const scale = Number(options.scale);
          if (!Number.isFinite(scale) || scale < 0.01 || scale > 1)
            throw new CliError(`--scale must be a number from 0.01 to 1, not "${options.scale}".`);
          let workers = resolveWorkers(parseWorkersOption(options.workers), availableParallelism());
          if (workers > 1 && options.cpuTime)
            throw new CliError(
              '--cpu-time adds up the CPU time of every thread: time several --workers by the wall clock.',
            );
          const log = (line: string) => io.err(`${line}\n`);
          const print = (results: BenchResult[]) => {
            if (options.json) for (const r of results) io.out(`${JSON.stringify(r)}\n`);
            else
              io.out(
                formatBench(results) +
                  `(tokens/s by ${options.cpuTime ? 'process CPU time' : 'wall clock'}, median of at least ` +
                  `${steps} timed steps and 5 s after a warm-up` +
                  `${scale !== 1 ? `; sizes scaled by ${scale}` : ''}` +
                  `; each config in a process of its own; other cores: what other processes used while our ` +
                  `engine was timed)\n`,
              );
          };
          const backend = await selectBackend(options.backend as BackendChoice, log);
          if (!options.config) {
            // Several configs: each in a fresh process, as a run trains (main/engine/bench/perProcess.ts),
            // on the backend chosen here (so the fallback chain is walked, and logged, once).
            const args = ['--steps', String(steps), '--backend', backend.name, '--workers', String(workers)];
            args.push('--scale', String(scale));
            if (!options.layers) args.push('--no-layers');
            if (!options.torch) args.push('--no-torch');
            if (options.cpuTime) args.push('--cpu-time');
            const results = await benchPerProcess([...BENCH_NAMES], { args, log });
            print(results);
            const missing = BENCH_NAMES.length - results.length;
            if (missing > 0)
              throw new CliError(`bench: ${missing} of ${BENCH_NAMES.length} configs were not measured.`);
            return;
          }
          if (workers > 1 && backend.name !== 'wasm' && backend.name !== 'cpu') {
            log(`one engine: data-parallel workers run on the wasm and cpu backends, not ${backend.name}`);
            workers = 1;
          }
          if (workers > 1 && scale !== 1) {
            log('one engine: data-parallel workers build the full-size configs, not scaled ones');
            workers = 1;
          }
          log(
            `backend: ${backend.description}; ${workers} worker${workers > 1 ? 's' : ''}; ${benchMachine()}`,
          );
          const results = await runBench([options.config as BenchName], {
            steps,
            workers,
            backend: backend.name,
            ...(backend.adapter ? { adapter: backend.adapter } : {}),
            skipLayers: !options.layers,
            skipTorch: !options.torch,
            cpuTime: options.cpuTime ?? false,
            scale,
            log,
          });
          print(results);
        },
      );
  },
};
