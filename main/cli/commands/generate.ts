// `rnn-studio generate <file> --seed TEXT --length N --temperature T [--top-k K]`: text sampled from a
// trained language model, continuing the seed.
import { CliError, type CliCommand } from '../command.js';
import { formatResult } from '../../inference/results.js';
import { explain, predictorOf } from '../../inference/service.js';
import { ensureBackend } from '../../inference/backend.js';
import { loadTrainedProject } from '../../inference/trainedProject.js';
import { inferenceStep } from './predict.js';
import { openProjectFiles } from './projectFiles.js';

function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}, not "${value}".`);
  return n;
}

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
          const length = wholeNumber(options.length, '--length', 1, 10_000);
          const topK = wholeNumber(options.topK, '--top-k', 0, 1_000_000);
          const temperature = Number(options.temperature);
          if (!(temperature > 0 && temperature <= 10))
            throw new CliError(
              `--temperature must be a number above 0 and at most 10, not "${options.temperature}".`,
            );
          const randomSeed =
            options.randomSeed === undefined
              ? undefined
              : wholeNumber(options.randomSeed, '--random-seed', 0, 2 ** 32 - 1);
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
