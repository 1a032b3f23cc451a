// The copy (memory) task (Hochreiter & Schmidhuber 1997; Arjovsky et al. 2016): read `length` random
// symbols, wait `delay` blank steps, see the recall marker, then write the symbols back in order.
// Tagged per step: '_' while reading and waiting, the remembered symbol during recall. Guessing blanks and
// random symbols scores a cross-entropy of length·ln(symbols)/(2·length + delay), the memoryless baseline.
import { z } from 'zod';
import type { DatasetGenerator } from './generator.js';

const params = z
  .object({
    count: z.number().int().min(1).max(1_000_000).default(2000),
    symbols: z.number().int().min(2).max(26).default(8),
    length: z.number().int().min(1).max(100).default(8),
    delay: z.number().int().min(1).max(10_000).default(20),
  })
  .strict();

export const BLANK = '_';
export const RECALL = ':';

export const copyTask: DatasetGenerator<typeof params> = {
  name: 'copy-task',
  title: 'Copy task',
  description:
    'Remember a few symbols through a long silence, then write them back in order after the ":" marker.',
  task: 'tagging',
  tokenizer: 'word',
  params,
  generate: ({ count, symbols, length, delay }, random) =>
    Array.from({ length: count }, () => {
      const data = Array.from({ length }, () => String.fromCharCode(65 + random.int(symbols)));
      const tokens = [
        ...data,
        ...Array<string>(delay - 1).fill(BLANK),
        RECALL,
        ...Array<string>(length).fill(BLANK),
      ];
      const tags = [...Array<string>(length + delay).fill(BLANK), ...data];
      return { tokens, tags };
    }),
};
