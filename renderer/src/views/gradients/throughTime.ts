// The gradient-through-time picture: one row per probed epoch, one column per time step, the value the
// norm of dLoss/dh_t. Built from the probe events of a run for one recurrent block.
import type { Matrix } from '../../charts/heatmapData.js';
import type { ProbeRecord } from '../../watch/runRecorder.js';

export interface ThroughTime {
  matrix: Matrix;
  rowLabels: string[];
  columnLabels: string[];
}

export function gradientThroughTime(probes: readonly ProbeRecord[], layer: string): ThroughTime {
  const rows = probes.filter((p) => p.gradNormPerStep[layer]?.length);
  const cols = rows.reduce((m, p) => Math.max(m, p.gradNormPerStep[layer]!.length), 0);
  const values = new Float64Array(rows.length * cols).fill(NaN);
  rows.forEach((p, r) => p.gradNormPerStep[layer]!.forEach((v, c) => (values[r * cols + c] = v)));
  // The probe example is the same every epoch: label steps with its tokens so a person can see which word
  // the gradient no longer reaches.
  const tokens = rows[rows.length - 1]?.tokens ?? [];
  const columnLabels = Array.from({ length: cols }, (_, t) =>
    tokens[t] !== undefined ? `${t + 1} ${tokens[t]}` : String(t + 1),
  );
  return {
    matrix: { rows: rows.length, cols, values },
    rowLabels: rows.map((p) => String(p.epoch)) /* the axis is named "epoch" */,
    columnLabels,
  };
}

/**
 * How many orders of magnitude the gradient falls from the last step to the first (positive = vanishing,
 * negative = exploding towards the start), for a one-line reading under the heatmap.
 */
export function decadesLost(norms: readonly number[]): number | undefined {
  const finite = norms.filter((v) => Number.isFinite(v) && v > 0);
  if (finite.length < 2) return undefined;
  return Math.log10(finite[finite.length - 1]!) - Math.log10(finite[0]!);
}
