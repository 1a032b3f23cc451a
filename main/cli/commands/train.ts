// `rnn-studio train <file>`: trains a project in its own engine process and saves checkpoints and the
// run's history into the .rnnproj. A progress bar on a terminal, plain lines when piped, NDJSON with
// --events ndjson. Ctrl-C stops within a batch and saves a checkpoint; --resume continues from it.
import { Option } from 'commander';
import type { CliCommand } from '../command.js';
import { runLengthAdvice } from '../../../core/training/sizing.js';
import { CliError, EXIT_INTERNAL, parseWorkersOption, wholeNumberFlag } from '../command.js';
import { BACKEND_CHOICES_TEXT, isBackendChoice } from '../../../core/api/backends.js';
import { ProgressPrinter } from '../../training/progress.js';
import { TrainingError, TrainingService } from '../../training/service.js';
import { openInStore } from './projectFiles.js';

interface TrainOptions {
  epochs?: string;
  patience?: string;
  backend: string;
  workers?: string;
  events?: string;
  resume?: boolean;
  dataDir?: string;
  workload?: string;
  workloadOptions?: string;
}

export const trainCommand: CliCommand = {
  name: 'train',
  register(program, io) {
    program
      .command('train')
      .description('Train a project (.rnnproj); checkpoints and history are saved into it.')
      .argument('<file>', 'the project file')
      .option('--epochs <n>', "number of epochs (default: the project's training settings)")
      .option(
        '--patience <n>',
        "stop early after n epochs without a better validation loss; 0 = never (default: the project's)",
      )
      .option('--backend <name>', BACKEND_CHOICES_TEXT, 'auto')
      .option(
        '--workers <n>',
        'engines training in parallel on shards of each batch: auto (cores - 1) or a number ' +
          "(default: the project's setting)",
      )
      .option(
        '--events <format>',
        'print every telemetry event as NDJSON instead of a progress bar (format: ndjson)',
      )
      .option('--resume', "continue the project's latest run from its last checkpoint")
      .option('--data-dir <dir>', 'folder for recent projects and crash recovery')
      .addOption(
        new Option(
          '--workload <module>',
          'train this workload module instead of the project graph (tests)',
        ).hideHelp(),
      )
      .addOption(new Option('--workload-options <json>', 'options for --workload (tests)').hideHelp())
      .action(async (file: string, options: TrainOptions) => {
        const epochs =
          options.epochs === undefined ? undefined : wholeNumberFlag(options.epochs, '--epochs', 1);
        const patience =
          options.patience === undefined ? undefined : wholeNumberFlag(options.patience, '--patience', 0);
        if (!isBackendChoice(options.backend))
          throw new CliError(`--backend must be ${BACKEND_CHOICES_TEXT}, not "${options.backend}".`);
        const workers = options.workers === undefined ? undefined : parseWorkersOption(options.workers);
        if (options.events !== undefined && options.events !== 'ndjson')
          throw new CliError(`--events supports only "ndjson", not "${options.events}".`);
        const { store, session } = await openInStore(file, options.dataDir);
        if (!session.path)
          throw new CliError(`${file} is not a .rnnproj project file: save it as one to train it.`);
        const workloadOptions = options.workloadOptions
          ? (JSON.parse(options.workloadOptions) as unknown)
          : undefined;
        const service = new TrainingService({
          store,
          ...(options.workload ? { workloadModule: options.workload } : {}),
          ...(workloadOptions !== undefined ? { workloadOptions: () => workloadOptions } : {}),
        });
        const printer = new ProgressPrinter(
          options.events === 'ndjson' ? 'ndjson' : io.isTTY ? 'tty' : 'lines',
          (text) => io.out(text),
          24,
          (text) => io.err(text),
        );
        let status = 'running';
        let failure = '';
        service.onEvent(({ event }) => {
          printer.onEvent(event);
          if (event.type === 'run-end') status = event.status;
          if (event.type === 'error') failure = event.message;
        });
        // A run far shorter than that kind of model needs: say so before it starts, with the command that
        // fixes it (the same advice as the studio's Training tab, whose button applies it).
        const doc = session.doc;
        const advice = options.resume
          ? null
          : runLengthAdvice(doc.task, doc.dataset, { ...doc.training, ...(epochs ? { epochs } : {}) });
        if (advice)
          io.err(
            `warning: ${advice.message}\n` +
              `  To train that long: ` +
              `rnn-studio train ${file} --epochs ${advice.epochs} --patience ${advice.patience}\n`,
          );
        const stopping =
          patience === undefined ? {} : { earlyStopping: { metric: 'validation.loss' as const, patience } };
        let runId: string;
        try {
          const started = await service.start(session.projectId, {
            backend: options.backend,
            ...(epochs ? { epochs } : {}),
            ...(options.resume ? { resume: true } : {}),
            ...(workers !== undefined || patience !== undefined
              ? { config: { ...(workers !== undefined ? { workers } : {}), ...stopping } }
              : {}),
          });
          runId = started.runId;
          const from = started.resumedFrom;
          if (from)
            io.err(
              `Resuming ${runId} from its ${from.checkpoint} checkpoint (${from.entry}: ` +
                `epoch ${from.epoch}, step ${from.step})${from.note ? `; ${from.note}` : ''}.\n`,
            );
        } catch (error) {
          // The service speaks the studio's words ("the Data tab"); here, the command that does it.
          if (error instanceof TrainingError && error.where === 'dataset')
            throw new CliError(
              `The project has no dataset: import one first: rnn-studio data ${file} --import FILE`,
            );
          throw new CliError((error as Error).message);
        }
        // Ctrl-C: stop within a batch; the runner saves a checkpoint before it ends.
        const onSignal = () => {
          if (service.isRunning(runId)) {
            io.err('\nStopping after this batch and saving a checkpoint (Ctrl-C again to quit at once)…\n');
            service.stop(runId);
            process.once('SIGINT', () => process.exit(130));
          }
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const exit = await service.finished(runId);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        if (status === 'stopped' && options.events !== 'ndjson')
          io.err(`Stopped. Continue with: rnn-studio train ${file} --resume\n`);
        if (exit && !exit.clean)
          throw new CliError(failure || 'The engine process ended unexpectedly.', EXIT_INTERNAL);
        if (status === 'failed') throw new CliError(failure || 'Training failed.');
        if (status === 'running')
          throw new CliError(failure || 'The run ended without finishing.', EXIT_INTERNAL);
      });
  },
};
