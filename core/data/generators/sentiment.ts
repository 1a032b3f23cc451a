// Synthetic movie-review sentiment. No real labelled review corpus can be downloaded on the machines this
// studio is built and tested on, so this generator writes short reviews from templates instead. It is made
// to need word order: negation flips a judgement ("not good" is negative, "not bad" positive, "never
// boring" positive), intensifiers and hedges add noise words, and a "but" clause decides the overall label
// ("good acting, but a dull plot" is negative). A bag of words cannot solve it fully; a recurrent model can.
import { z } from 'zod';
import type { Random } from '../random.js';
import type { DatasetGenerator } from './generator.js';

const POSITIVE = ['good', 'great', 'wonderful', 'moving', 'funny', 'clever', 'beautiful', 'gripping'];
const NEGATIVE = ['bad', 'dull', 'boring', 'awful', 'clumsy', 'weak', 'tedious', 'forgettable'];
const SUBJECTS = [
  'the acting',
  'the plot',
  'the film',
  'the soundtrack',
  'the ending',
  'the script',
  'the camera work',
  'the cast',
];
const INTENSIFIERS = ['', '', 'really ', 'very ', 'quite ', 'truly '];
const NEGATIONS = ['not ', 'never ', 'hardly '];
const OPENERS = ['', '', 'honestly, ', 'i think ', 'overall, ', 'to be fair, '];

/** One judgement clause and its polarity (+1 / -1). */
function judgement(random: Random, negationRate: number): [string, number] {
  const positive = random.next() < 0.5;
  const word = random.pick(positive ? POSITIVE : NEGATIVE);
  const negated = random.next() < negationRate;
  const subject = random.pick(SUBJECTS);
  const verb = random.pick(['was', 'is', 'felt']);
  const text = negated
    ? `${subject} ${verb} ${random.pick(NEGATIONS)}${word}`
    : `${subject} ${verb} ${random.pick(INTENSIFIERS)}${word}`;
  return [text, (positive ? 1 : -1) * (negated ? -1 : 1)];
}

const params = z
  .object({
    count: z.number().int().min(1).max(1_000_000).default(4000),
    /** Share of clauses that are negated. */
    negation: z.number().min(0).max(1).default(0.35),
  })
  .strict();

export const sentiment: DatasetGenerator<typeof params> = {
  name: 'sentiment',
  title: 'Synthetic review sentiment',
  description:
    'Short made-up movie reviews labelled positive or negative, with negation ("not bad") and contrast ' +
    '("…, but …") so word order matters. Synthetic: no real labelled reviews can be downloaded here.',
  task: 'classification',
  tokenizer: 'word',
  params,
  generate: ({ count, negation }, random) =>
    Array.from({ length: count }, () => {
      const [first, p1] = judgement(random, negation);
      let text = `${random.pick(OPENERS)}${first}`;
      let polarity = p1;
      if (random.next() < 0.4) {
        // The clause after "but" decides; make it disagree so the contrast is informative.
        let [second, p2] = judgement(random, negation);
        while (p2 === p1) [second, p2] = judgement(random, negation);
        text += `, but ${second}`;
        polarity = p2;
      } else if (random.next() < 0.3) {
        let [second, p2] = judgement(random, negation);
        while (p2 !== p1) [second, p2] = judgement(random, negation);
        text += ` and ${second}`;
      }
      return { text: `${text}.`, label: polarity > 0 ? 'positive' : 'negative' };
    }),
};
