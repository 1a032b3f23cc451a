// Embedding: token ids to vectors, learned (Keras `embeddings` [V, D]) or fixed one-hot (no weights).
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { describe, fail, first, missing, ok, sequence, timeDim } from '../shapes.js';

export const embeddingParams = z.strictObject({
  /** Ids 0 … V−1, padding and unknown included; must cover the dataset's vocabulary. */
  vocabularySize: z.number().int().min(2).max(1_000_000).default(64),
  dimension: z.number().int().min(1).max(4096).default(32),
  /** One-hot vectors of size V instead of learned ones (the classic char-RNN input). */
  oneHot: z.boolean().default(false),
  /** Id 0 is padding: masked out of recurrences, pooling and losses. */
  maskZero: z.boolean().default(true),
});
export type EmbeddingParams = z.output<typeof embeddingParams>;

export const embedding: LayerKindDef<EmbeddingParams> = {
  kind: 'embedding',
  title: 'Embedding',
  category: 'inputs',
  formula: 'x = E[id]',
  doc: {
    what: 'Turns each token id into a vector: a row of a learned table, or a one-hot vector.',
    when:
      'Right after a token input. Learned embeddings for words and subwords; one-hot works for small ' +
      'character vocabularies.',
    formula: 'The vector for token id k is row k of the table E (vocabulary size × dimension).',
  },
  params: embeddingParams,
  inputs: [{ name: 'in', accepts: ['tokens'], label: 'tokens' }],
  outputs: [{ name: 'out', kinds: ['sequence'], label: 'sequence' }],
  inferShapes(p, inputs) {
    const tokens = first(inputs, 'in');
    if (!tokens) return missing('in');
    if (tokens.kind !== 'tokens') {
      return fail(
        'shape-mismatch',
        `Embedding reads token ids [batch, time] but receives ${describe(tokens)}. Wire a token input ` +
          `into it.`,
        { port: 'in' },
      );
    }
    return ok({ out: sequence(timeDim(tokens), p.oneHot ? p.vocabularySize : p.dimension) });
  },
  weights: (p) => (p.oneHot ? [] : [{ name: 'embeddings', shape: [p.vocabularySize, p.dimension] }]),
};
