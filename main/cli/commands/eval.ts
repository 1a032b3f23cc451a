// `rnn-studio eval <file>`: the validation metrics of a project's trained model (best checkpoint of its
// latest run, else the latest), as text or, with --json, one JSON object with snake_case names.
import { Option } from 'commander';
import type { CliCommand } from '../command.js';
import { CliError } from '../command.js';
import { BACKEND_CHOICES_TEXT, isBackendChoice } from '../../../core/api/backends.js';
import { defaultDataDir } from '../../host/studioHost.js';
import { ProjectStore } from '../../project/index.js';
import { evaluateProject } from '../../training/evaluateProject.js';
import { WorkloadError } from '../../training/workload.js';
import { resourcesDir } from '../../host/appInfo.js';

interface EvalOptions {
  json?: boolean;
  checkpoint: string;
  backend: string;
  dataDir?: string;
  workload?: string;
  workloadOptions?: string;
}

export const evalCommand: CliCommand = {
  name: 'eval',
  register(program, io) {
    program
      .command('eval')
      .description("Evaluate a trained project on its validation split (loss, accuracy, exact_match, mse, perplexity as the task has them).")
      .argument('<file>', 'the project file')
      .option('--json', 'print one JSON object with snake_case names')
      .option('--checkpoint <which>', 'best or latest', 'best')
      .option('--backend <name>', BACKEND_CHOICES_TEXT, 'auto')
      .option('--data-dir <dir>', 'folder for recent projects and crash recovery')
      .addOption(new Option('--workload <module>', 'evaluate this workload module instead of the project graph (tests)').hideHelp())
      .addOption(new Option('--workload-options <json>', 'options for --workload (tests)').hideHelp())
      .action(async (file: string, options: EvalOptions) => {
        if (options.checkpoint !== 'best' && options.checkpoint !== 'latest') throw new CliError(`--checkpoint must be best or latest, not "${options.checkpoint}".`);
        if (!isBackendChoice(options.backend)) throw new CliError(`--backend must be ${BACKEND_CHOICES_TEXT}, not "${options.backend}".`);
        const store = new ProjectStore({ dataDir: options.dataDir ?? defaultDataDir(), resourcesDir, autosaveMs: 0 });
        await store.init();
        let session;
        try {
          session = await store.openFile(file);
        } catch (error) {
          throw new CliError(`Cannot open ${file}: ${(error as Error).message}`);
        }
        let report;
        try {
          report = await evaluateProject(store, session.projectId, {
            which: options.checkpoint,
            backend: options.backend,
            ...(options.workload ? { workloadModule: options.workload } : {}),
            ...(options.workloadOptions ? { workloadOptions: JSON.parse(options.workloadOptions) as unknown } : {}),
          });
        } catch (error) {
          if (error instanceof WorkloadError) throw new CliError(`${file}: ${error.message}${error.where ? ` (${error.where})` : ''}`);
          throw error;
        }
        if (options.json) {
          io.out(JSON.stringify({ ...report.metrics, run: report.run, epoch: report.epoch, split: report.split, examples: report.examples, backend: report.backend }) + '\n');
          return;
        }
        io.out(`${file}: run ${report.run}, epoch ${report.epoch}, ${report.split} split (${report.examples} examples), ${report.backend}\n`);
        for (const [k, v] of Object.entries(report.metrics)) io.out(`  ${k.padEnd(16)} ${v === null ? 'n/a' : v.toPrecision(6)}\n`);
      });
  },
};
