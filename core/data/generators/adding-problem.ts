// The adding problem (Hochreiter & Schmidhuber 1997; as in Le, Jaitly & Hinton 2015): each step carries
// a random value in [0,1) and a marker; exactly two steps are marked, one in each half, and the target is
// the sum of the two marked values. Predicting 1 always gives MSE ≈ 0.167, the baseline a model must beat;
// the longer T, the longer the memory the model needs.
import { z } from 'zod';
import type { DatasetGenerator } from './generator.js';

const params = z
  .object({
    count: z.number().int().min(1).max(1_000_000).default(2000),
    length: z.number().int().min(2).max(10_000).default(50),
  })
  .strict();

export const addingProblem: DatasetGenerator<typeof params> = {
  name: 'adding-problem',
  title: 'Adding problem',
  description:
    'Two numbers in a long sequence are marked; output their sum. A constant guess of 1 scores MSE 0.167; ' +
    'a model that remembers the marked values goes far below.',
  task: 'regression',
  tokenizer: 'character',
  params,
  generate: ({ count, length }, random) =>
    Array.from({ length: count }, () => {
      const half = Math.floor(length / 2);
      const first = random.int(half);
      const second = half + random.int(length - half);
      const features = Array.from({ length }, (_, t) => [random.next(), t === first || t === second ? 1 : 0]);
      return { features, values: [features[first]![0]! + features[second]![0]!] };
    }),
};
