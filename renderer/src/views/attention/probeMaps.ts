// Labels for the probe's matrices: attention is target steps x source steps, gates and hidden states are
// units x time. Real tokens label the axes where the probe carries them; missing labels fall back to the
// step number so a hover always says where it is.
import { matrixFromRows, type Matrix } from '../../charts/heatmapData.js';

export interface LabelledMatrix {
  matrix: Matrix;
  rowLabels: string[];
  columnLabels: string[];
}

export function stepLabels(count: number, tokens: readonly string[]): string[] {
  return Array.from({ length: count }, (_, i) => tokens[i] ?? `#${i + 1}`);
}

/** Tokens can repeat ("the … the"); ECharts category axes merge equal labels, so make each unique. */
export function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const n = seen.get(label) ?? 0;
    seen.set(label, n + 1);
    return n === 0 ? label : `${label}\u200b${'\u200b'.repeat(n - 1)}`;
  });
}

export function attentionMap(
  weights: number[][],
  sourceTokens: readonly string[],
  targetTokens: readonly string[],
): LabelledMatrix {
  const matrix = matrixFromRows(weights);
  // Attention pooling has one query: a single row of weights over the sequence.
  const rowLabels =
    matrix.rows === 1 && targetTokens.length === 0
      ? ['pooled']
      : uniqueLabels(stepLabels(matrix.rows, targetTokens));
  return {
    matrix,
    rowLabels,
    columnLabels: uniqueLabels(stepLabels(matrix.cols, sourceTokens)),
  };
}

export function unitsByTime(values: number[][], tokens: readonly string[]): LabelledMatrix {
  const matrix = matrixFromRows(values);
  return {
    matrix,
    rowLabels: Array.from({ length: matrix.rows }, (_, u) => `unit ${u}`),
    columnLabels: uniqueLabels(stepLabels(matrix.cols, tokens)),
  };
}

/**
 * Colour range for attention: from 0 to the largest weight, so a flat map over 40 tokens is still readable.
 */
export function attentionRange(matrix: Matrix): [number, number] {
  let max = 0;
  for (let i = 0; i < matrix.values.length; i++) {
    const v = matrix.values[i]!;
    if (Number.isFinite(v) && v > max) max = v;
  }
  return [0, max > 0 ? max : 1];
}
