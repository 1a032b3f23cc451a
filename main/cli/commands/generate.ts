// `rnn-studio generate <file> --seed TEXT --length N --temperature T [--top-k K]`: text sampled from a
// trained language model, continuing the seed.
import { CliError, wholeNumberFlag, type CliCommand } from '../command.js';
import { formatResult } from '../../inference/results.js';
import { explain, predictorOf } from '../../inference/service.js';
import { ensureBackend } from '../../inference/backend.js';
import { loadTrainedProject } from '../../inference/trainedProject.js';
import { inferenceStep } from './predict.js';
import { openProjectFiles } from './projectFiles.js';

export const generateCommand: CliCommand = {
  name: 'generate',
  register(program, io) {
    program
      .command('generate')
      .description('Generate text with a trained language model, continuing a seed.')
      .argument('<file>', 'a trained .rnnproj (language-model task)')
      .requiredOption('--seed <text>', 'text to continue')
      .option('--length <tokens>', 'how many tokens to generate', '200')
      .option('--temperature <t>', 'below 1 is safer, above 1 more surprising', '1')
      .option('--top-k <k>', 'sample only among the k most likely tokens (0 = all)', '0')
      .option('--random-seed <n>', 'repeat a generation exactly')
      .option('--json', 'print the text and each token with its probability as JSON')
      .action(
        async (
          file: string,
          options: {
            seed: string;
            length: string;
            temperature: string;
            topK: string;
            randomSeed?: string;
            json?: boolean;
          },
        ) => {
          const length = wholeNumberFlag(options.length, '--length', 1, 10_000);
          const topK = wholeNumberFlag(options.topK, '--top-k', 0, 1_000_000);
          const temperature = Number(options.temperature);
          if (!(temperature > 0 && temperature <= 10))
            throw new CliError(
              `--temperature must be a number above 0 and at most 10, not "${options.temperature}".`,
            );
          const randomSeed =
            options.randomSeed === undefined
              ? undefined
              : wholeNumberFlag(options.randomSeed, '--random-seed', 0, 2 ** 32 - 1);
          const { doc, files } = await openProjectFiles(file);
          await ensureBackend();
          const result = await inferenceStep(async () => {
            const predictor = predictorOf(await loadTrainedProject(doc, files));
            return explain(() =>
              predictor.generate({
                seed: options.seed,
                length,
                temperature,
                topK,
                ...(randomSeed !== undefined ? { randomSeed } : {}),
              }),
            );
          });
          io.out(`${options.json ? JSON.stringify(result, null, 2) : formatResult(result)}\n`);
        },
      );
  },
};
