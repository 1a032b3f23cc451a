// Parity: is the number of 1s in a bit string odd or even? Every bit matters to the answer, so a model
// must carry one bit of state across the whole sequence (a classic failure case for plain RNNs on long
// strings). Lengths vary between minLength and maxLength so bucketing has something to do.
import { z } from 'zod';
import type { DatasetGenerator } from './generator.js';

const params = z
  .object({
    count: z.number().int().min(1).max(1_000_000).default(2000),
    minLength: z.number().int().min(1).max(10_000).default(2),
    maxLength: z.number().int().min(1).max(10_000).default(20),
  })
  .strict()
  .refine((p) => p.minLength <= p.maxLength, {
    message: 'minLength must not exceed maxLength',
    path: ['minLength'],
  });

export const parity: DatasetGenerator<typeof params> = {
  name: 'parity',
  title: 'Parity',
  description: 'Read a string of bits; say whether it holds an odd or even number of 1s.',
  task: 'classification',
  tokenizer: 'character',
  params,
  generate: ({ count, minLength, maxLength }, random) =>
    Array.from({ length: count }, () => {
      const bits = Array.from({ length: random.range(minLength, maxLength) }, () => random.int(2));
      return { text: bits.join(''), label: bits.reduce((a, b) => a + b, 0) % 2 === 1 ? 'odd' : 'even' };
    }),
};
