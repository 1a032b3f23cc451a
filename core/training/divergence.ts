// Divergence: the loss or the global gradient norm exploding, said as it happens, before anything is
// infinite (the NaN guard in loop.ts catches that later). The rule, in one place:
//
//   a value is exploding at a batch when it is at least GROWTH (×100) times the median of the WINDOW - 1
//   (9) batches before it, and the batch before it was already at least √GROWTH (×10) above that median.
//
// The median ignores a single odd batch in the reference; asking the batch before to be high too means a
// single spike (one hard batch late in training, where losses near 0 vary a lot) is not called divergence.
// Geometric growth (a loss ×1,000,000 over nine batches is ×4.6 a batch) is flagged at its 4th batch. The
// gradient norm is judged only from 1 up: a norm growing from 1e-4 to 1e-2 early in training is not
// exploding anything. After a warning that quantity's window starts again, so a run that keeps exploding
// is warned about once per window, with the growth since the last warning.
export const DIVERGENCE = { window: 10, growth: 100, minGradNorm: 1 } as const;

export type DivergingQuantity = 'loss' | 'gradNorm';

export interface Divergence {
  quantity: DivergingQuantity;
  step: number;
  value: number;
  /** value / the median of the batches before it in the window. */
  growth: number;
  /** The reference: the median, and the first step of the window it was taken over. */
  from: { value: number; step: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Watches one run's batches (loop.ts feeds every finite batch); `observe` returns what is exploding now. */
export class DivergenceWatch {
  private readonly recent: Record<DivergingQuantity, { step: number; value: number }[]> = {
    loss: [],
    gradNorm: [],
  };

  observe(step: number, values: { loss: number | null; gradNorm: number | null }): Divergence[] {
    const found: Divergence[] = [];
    for (const quantity of ['loss', 'gradNorm'] as const) {
      const value = values[quantity];
      if (value === null || !Number.isFinite(value)) continue;
      const seen = this.recent[quantity];
      const before = seen.slice(-(DIVERGENCE.window - 1));
      const ready =
        before.length === DIVERGENCE.window - 1 &&
        (quantity !== 'gradNorm' || value >= DIVERGENCE.minGradNorm);
      const reference = ready ? median(before.map((b) => b.value)) : 0;
      const previous = before.at(-1)?.value ?? 0;
      if (
        ready &&
        reference > 0 &&
        value >= DIVERGENCE.growth * reference &&
        previous >= Math.sqrt(DIVERGENCE.growth) * reference
      ) {
        found.push({
          quantity,
          step,
          value,
          growth: value / reference,
          from: { value: reference, step: before[0]!.step },
        });
        seen.length = 0;
      }
      seen.push({ step, value });
      if (seen.length > DIVERGENCE.window) seen.shift();
    }
    return found;
  }
}

const names: Record<DivergingQuantity, string> = { loss: 'loss', gradNorm: 'global gradient norm' };
const short = (n: number) =>
  Math.abs(n) >= 1e4 || Math.abs(n) < 1e-3 ? n.toExponential(2) : n.toPrecision(3);

/** What the user reads (dashboard, CLI): the quantity, the step, the value and how fast it grew. */
export function divergenceMessage(d: Divergence): string {
  return (
    `The ${names[d.quantity]} is exploding: ${short(d.value)} at step ${d.step}, ` +
    `×${Math.round(d.growth).toLocaleString('en-US')} ` +
    `the median of the ${DIVERGENCE.window - 1} batches before (${short(d.from.value)} from step ` +
    `${d.from.step}). ` +
    'Lower the learning rate or clip gradients (global norm).'
  );
}
