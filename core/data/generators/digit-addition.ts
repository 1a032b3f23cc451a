// Digit addition as sequence to sequence (Zaremba & Sutskever 2014, "Learning to Execute"): read
// "123+45", write "168". The carry makes the model look at aligned digits of both numbers. With `reverse`
// the sum is written backwards ("54+321" -> "168"), as Keras' addition example feeds it: a one-way encoder
// then meets every number's units digit first, so it knows each digit's place value as it reads it.
import { z } from 'zod';
import type { DatasetGenerator } from './generator.js';

const params = z
  .object({
    count: z.number().int().min(1).max(1_000_000).default(5000),
    maxDigits: z.number().int().min(1).max(15).default(3),
    reverse: z.boolean().default(false),
  })
  .strict();

export const digitAddition: DatasetGenerator<typeof params> = {
  name: 'digit-addition',
  title: 'Digit addition',
  description: 'Read a sum like "123+45" one character at a time and write its result, "168".',
  task: 'seq2seq',
  tokenizer: 'character',
  params,
  generate: ({ count, maxDigits, reverse }, random) =>
    Array.from({ length: count }, () => {
      const number = () => {
        const digits = random.range(1, maxDigits);
        return random.int(10 ** digits);
      };
      const a = number();
      const b = number();
      const source = `${a}+${b}`;
      return { source: reverse ? [...source].reverse().join('') : source, target: String(a + b) };
    }),
};
