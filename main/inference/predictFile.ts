// Bulk prediction (`rnn-studio predict --file`, the studio's "Predict a file…"): every input of a file
// through the same `Predictor.predict` a single `predict --input` uses, written as JSONL (one result per
// line, the `predict --json` shape plus the line it came from) or CSV (the prediction in one column).
import type { Predictor, PredictOptions } from './predictor.js';
import type { PredictResult } from './results.js';

export type PredictionFormat = 'jsonl' | 'csv';

export interface FilePrediction {
  /** The line of the input file the row starts on. */
  line: number;
  result: PredictResult;
}

/** Predicts each input in order; `onProgress(done, total)` after each (a progress bar, a cancel check). */
export async function predictAll(
  predictor: Predictor,
  rows: readonly { line: number; input: string }[],
  options: PredictOptions = {},
  onProgress?: (done: number, total: number) => void,
): Promise<FilePrediction[]> {
  const predictions: FilePrediction[] = [];
  for (const [i, row] of rows.entries()) {
    predictions.push({ line: row.line, result: await predictor.predict(row.input, options) });
    onProgress?.(i + 1, rows.length);
  }
  return predictions;
}

/** The answer in one cell: the label, the tags, the translation, the values, the likeliest next token. */
export function predictionText(result: PredictResult): { prediction: string; probability: number | '' } {
  switch (result.task) {
    case 'classification':
      return { prediction: result.label, probability: result.probabilities[0]?.probability ?? '' };
    case 'regression':
      return { prediction: result.values.join(' '), probability: '' };
    case 'tagging':
      return { prediction: result.tokens.map((t) => t.tag).join(' '), probability: '' };
    case 'seq2seq':
      return { prediction: result.output, probability: '' };
    case 'language-model':
      return { prediction: result.next[0]?.token ?? '', probability: result.next[0]?.probability ?? '' };
  }
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The predictions as the text of an output file. */
export function formatPredictions(predictions: readonly FilePrediction[], format: PredictionFormat): string {
  if (format === 'jsonl')
    return predictions.map((p) => JSON.stringify({ line: p.line, ...p.result })).join('\n') + '\n';
  const lines = ['line,input,prediction,probability'];
  for (const p of predictions) {
    const { prediction, probability } = predictionText(p.result);
    lines.push([p.line, p.result.input, prediction, probability].map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

/** The output format an output file name asks for (JSONL unless it ends in .csv). */
export function predictionFormatOf(fileName: string): PredictionFormat {
  return fileName.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
}
