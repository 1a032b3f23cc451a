// Which examples go into which batch, in which order, for one epoch. Seeded, so the same seed and epoch
// give the same plan, and a resumed run can rebuild the plan of the epoch it stopped in.
import type { SeededRandom } from './random.js';
import { shuffleInPlace } from './random.js';

export interface PlanOptions {
  batchSize: number;
  shuffle: boolean;
  /** Group examples of similar length (needs `lengths`) so batches carry less padding. */
  bucketing: boolean;
  /** Real length of each example (for bucketing); absent = no bucketing. */
  lengths?: ArrayLike<number>;
}

/** How many length-sorted batches form one bucket pool: sorting only inside pools keeps some randomness. */
const POOL_BATCHES = 50;

export function planEpoch(size: number, options: PlanOptions, random: SeededRandom): number[][] {
  const order = Array.from({ length: size }, (_, i) => i);
  if (options.shuffle) shuffleInPlace(order, random);
  const lengths = options.lengths;
  if (options.bucketing && lengths) {
    const pool = options.batchSize * POOL_BATCHES;
    for (let start = 0; start < order.length; start += pool) {
      const slice = order
        .slice(start, start + pool)
        .sort((a, b) => (lengths[a] ?? 0) - (lengths[b] ?? 0) || a - b);
      order.splice(start, slice.length, ...slice);
    }
  }
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += options.batchSize) {
    batches.push(order.slice(start, start + options.batchSize));
  }
  // Bucketed batches come out sorted by length; shuffle their order so the model does not see short first.
  if (options.bucketing && lengths && options.shuffle) shuffleInPlace(batches, random);
  return batches;
}
