// `rnn-studio predict <file> --input TEXT [--json]`: the trained model's answer for one input, in the
// task's result shape (the same JSON the exported predict.py prints). `--file IN --out OUT.jsonl|csv`
// predicts every row of a file through the same predictor, with a progress bar on a terminal.
import { writeFile } from 'node:fs/promises';
import { CliError, wholeNumberFlag, type CliCommand, type CliIO } from '../command.js';
import { DataImportError, readProjectInputs } from '../../data/index.js';
import { formatPredictions, predictAll, predictionFormatOf } from '../../inference/predictFile.js';
import { formatResult } from '../../inference/results.js';
import { explain, InferenceFault, predictorOf } from '../../inference/service.js';
import { ensureBackend } from '../../inference/backend.js';
import { loadTrainedProject } from '../../inference/trainedProject.js';
import { NO_WEIGHTS, NO_WEIGHTS_REASON } from '../../inference/trainedWeights.js';
import { openProjectFiles } from './projectFiles.js';

/** Runs inference work, turning the user's mistakes (no weights, bad input) into exit code 1. */
export async function inferenceStep<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InferenceFault) {
      const message =
        error.message === NO_WEIGHTS ? `${NO_WEIGHTS_REASON}: rnn-studio train <file>.` : error.message;
      throw new CliError(message, error.code === 'internal' ? 2 : 1);
    }
    throw error;
  }
}

export const predictCommand: CliCommand = {
  name: 'predict',
  register(program, io) {
    program
      .command('predict')
      .description(
        'Predict with a trained project: classify, tag, translate or show the next token, as its task does.',
      )
      .argument('<file>', 'a trained .rnnproj')
      .option(
        '--input <text>',
        'the input text (numeric models: a JSON list of steps, e.g. "[[0.5,1],[0.2,0]]")',
      )
      .option('--file <path>', 'predict every row of this CSV, TSV, JSONL or text file (one input per line)')
      .option(
        '--column <name>',
        "with --file: the column holding the inputs (the project's input column when absent)",
      )
      .option(
        '--out <path>',
        'with --file: where to write the predictions, .jsonl (one result per line) or .csv',
      )
      .option('--json', 'print the result as JSON (the same as the exported predict.py)')
      .option('--beam <width>', 'translation: beam search width (1 = greedy)', '1')
      .action(async (file: string, options: PredictFlags) => {
        const beamWidth = wholeNumberFlag(options.beam, '--beam', 1, 64);
        if ((options.input === undefined) === (options.file === undefined))
          throw new CliError('Give either --input TEXT or --file PATH (with --out).');
        if (options.file !== undefined && options.out === undefined)
          throw new CliError('--file needs --out OUT.jsonl or OUT.csv for the predictions.');
        const { doc, files } = await openProjectFiles(file);
        await ensureBackend();
        if (options.file !== undefined)
          return predictFile(io, doc, files, options.file, options.out!, options.column, beamWidth);
        const input = options.input!;
        const result = await inferenceStep(async () => {
          const predictor = predictorOf(await loadTrainedProject(doc, files));
          return explain(() => predictor.predict(input, { beamWidth }));
        });
        io.out(`${options.json ? JSON.stringify(result, null, 2) : formatResult(result)}\n`);
      });
  },
};

interface PredictFlags {
  input?: string;
  file?: string;
  column?: string;
  out?: string;
  json?: boolean;
  beam: string;
}

/** A bar on a terminal, a line per tenth when piped. */
function progressBar(io: CliIO): (done: number, total: number) => void {
  let lastTenth = -1;
  return (done, total) => {
    const fraction = done / total;
    if (io.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      if (done === total || done % Math.max(1, Math.floor(total / 200)) === 0) {
        io.err(
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * fraction).toFixed(0)}% ` +
            `${done}/${total} rows${done === total ? '\n' : ''}`,
        );
      }
    } else if (Math.floor(fraction * 10) !== lastTenth) {
      lastTenth = Math.floor(fraction * 10);
      io.err(`Predicting… ${(100 * fraction).toFixed(0)}% (${done}/${total} rows)\n`);
    }
  };
}

async function predictFile(
  io: CliIO,
  doc: Parameters<typeof loadTrainedProject>[0],
  files: Parameters<typeof loadTrainedProject>[1],
  input: string,
  out: string,
  column: string | undefined,
  beamWidth: number,
): Promise<void> {
  const format = predictionFormatOf(out);
  const trained = await inferenceStep(() => loadTrainedProject(doc, files));
  const predictor = await inferenceStep(() => predictorOf(trained));
  if (!trained.doc.dataset)
    throw new CliError('The project has no dataset, so there is no format to read the file in.');
  let read;
  try {
    read = await readProjectInputs(trained.doc.dataset, { path: input }, column);
  } catch (error) {
    if (error instanceof DataImportError) throw new CliError(error.message);
    throw error;
  }
  const predictions = await inferenceStep(() =>
    explain(() => predictAll(predictor, read.rows, { beamWidth }, progressBar(io))),
  );
  await writeFile(out, formatPredictions(predictions, format));
  const skipped =
    read.errorCount > 0
      ? `; skipped ${read.errorCount} row${read.errorCount === 1 ? '' : 's'} (first: ` +
        `line ${read.errors[0]!.line}: ${read.errors[0]!.message})`
      : '';
  io.out(
    `Predicted ${predictions.length} rows of ${input} (column "${Object.values(read.columns)[0]}") ` +
      `into ${out}${skipped}\n`,
  );
}
