// A synthetic part-of-speech tagging grammar. Sentences come from a small grammar
//   S → NP VP [CONJ NP VP] .     NP → DET ADJ* NOUN [PREP DET NOUN]     VP → VERB [NP] [ADV]
// over a lexicon where several words are both nouns and verbs ("run", "watch", "fly", "plant", "rock"),
// so a tagger must use context, not just the word: in "the watch"
// it is a NOUN, in "the dog watch …" a VERB.
import { z } from 'zod';
import type { Random } from '../random.js';
import type { DatasetGenerator } from './generator.js';

const AMBIGUOUS = ['run', 'watch', 'fly', 'plant', 'rock', 'train', 'light'];
const LEXICON: Record<string, string[]> = {
  DET: ['the', 'a', 'every', 'this', 'that', 'my', 'her'],
  ADJ: ['old', 'small', 'green', 'quick', 'quiet', 'bright', 'heavy', 'strange'],
  NOUN: ['dog', 'river', 'teacher', 'city', 'song', 'garden', 'engine', 'letter', ...AMBIGUOUS],
  VERB: ['sees', 'finds', 'likes', 'builds', 'moves', 'reads', ...AMBIGUOUS],
  PREP: ['near', 'under', 'with', 'behind', 'beside'],
  ADV: ['slowly', 'today', 'again', 'quietly', 'often'],
  CONJ: ['and', 'but', 'while'],
};

function phrase(random: Random, out: [string, string][], maxAdjectives: number) {
  const add = (tag: string) => out.push([random.pick(LEXICON[tag]!), tag]);
  add('DET');
  const adjectives = random.int(maxAdjectives + 1);
  for (let i = 0; i < adjectives; i++) add('ADJ');
  add('NOUN');
  if (random.next() < 0.3) {
    add('PREP');
    add('DET');
    add('NOUN');
  }
}

function clause(random: Random, out: [string, string][], maxAdjectives: number) {
  phrase(random, out, maxAdjectives);
  out.push([random.pick(LEXICON.VERB!), 'VERB']);
  if (random.next() < 0.6) phrase(random, out, maxAdjectives);
  if (random.next() < 0.3) out.push([random.pick(LEXICON.ADV!), 'ADV']);
}

const params = z
  .object({
    count: z.number().int().min(1).max(1_000_000).default(3000),
    maxAdjectives: z.number().int().min(0).max(10).default(2),
  })
  .strict();

export const taggingGrammar: DatasetGenerator<typeof params> = {
  name: 'tagging-grammar',
  title: 'Tagging grammar',
  description:
    'Tag each word of generated sentences with its part of speech; ' +
    'some words are nouns or verbs depending on context.',
  task: 'tagging',
  tokenizer: 'word',
  params,
  generate: ({ count, maxAdjectives }, random) =>
    Array.from({ length: count }, () => {
      const out: [string, string][] = [];
      clause(random, out, maxAdjectives);
      if (random.next() < 0.25) {
        out.push([random.pick(LEXICON.CONJ!), 'CONJ']);
        clause(random, out, maxAdjectives);
      }
      out.push(['.', 'PUNCT']);
      return { tokens: out.map(([w]) => w), tags: out.map(([, t]) => t) };
    }),
};
