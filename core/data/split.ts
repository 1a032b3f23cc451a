// Seeded train / validation / test split. With a `groupBy` key (the class, for classification) each
// group is split in the same proportions, so a rare class still reaches validation and test.
import { createRandom } from './random.js';

export interface SplitResult<T> {
  train: T[];
  validation: T[];
  test: T[];
}

export function splitExamples<T>(
  items: readonly T[],
  options: { validation: number; test: number; seed: number },
  groupBy?: (item: T) => string,
): SplitResult<T> {
  const random = createRandom(options.seed);
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = groupBy ? groupBy(item) : '';
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(item);
  }
  const out: SplitResult<T> = { train: [], validation: [], test: [] };
  for (const k of [...groups.keys()].sort()) {
    const g = random.shuffle([...groups.get(k)!]);
    const nTest = Math.round(g.length * options.test);
    const nValidation = Math.round(g.length * options.validation);
    out.test.push(...g.slice(0, nTest));
    out.validation.push(...g.slice(nTest, nTest + nValidation));
    out.train.push(...g.slice(nTest + nValidation));
  }
  // Keep each part in a seeded order too, not grouped by class.
  random.shuffle(out.train);
  random.shuffle(out.validation);
  random.shuffle(out.test);
  return out;
}
