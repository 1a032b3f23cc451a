// `rnn-studio predict <file> --input TEXT [--json]`: the trained model's answer for one input, in the
// task's result shape (the same JSON the exported predict.py prints).
import { CliError, type CliCommand } from '../command.js';
import { formatResult } from '../../inference/results.js';
import { explain, InferenceFault, predictorOf } from '../../inference/service.js';
import { ensureBackend } from '../../inference/backend.js';
import { loadTrainedProject } from '../../inference/trainedProject.js';
import { openProjectFiles } from './projectFiles.js';

/** Runs inference work, turning the user's mistakes (no weights, bad input) into exit code 1. */
export async function inferenceStep<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InferenceFault) throw new CliError(error.message, error.code === 'internal' ? 2 : 1);
    throw error;
  }
}

export const predictCommand: CliCommand = {
  name: 'predict',
  register(program, io) {
    program
      .command('predict')
      .description('Predict with a trained project: classify, tag, translate or show the next token, as its task does.')
      .argument('<file>', 'a trained .rnnproj')
      .requiredOption('--input <text>', 'the input text (numeric models: a JSON list of steps, e.g. "[[0.5,1],[0.2,0]]")')
      .option('--json', 'print the result as JSON (the same as the exported predict.py)')
      .option('--beam <width>', 'translation: beam search width (1 = greedy)', '1')
      .action(async (file: string, options: { input: string; json?: boolean; beam: string }) => {
        const beamWidth = Number(options.beam);
        if (!Number.isInteger(beamWidth) || beamWidth < 1 || beamWidth > 64) throw new CliError(`--beam must be a whole number from 1 to 64, not "${options.beam}".`);
        const { doc, files } = await openProjectFiles(file);
        await ensureBackend();
        const result = await inferenceStep(async () => {
          const predictor = predictorOf(await loadTrainedProject(doc, files));
          return explain(() => predictor.predict(options.input, { beamWidth }));
        });
        io.out(`${options.json ? JSON.stringify(result, null, 2) : formatResult(result)}\n`);
      });
  },
};
