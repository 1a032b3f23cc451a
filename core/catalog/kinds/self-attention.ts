// Self-attention block: a Transformer encoder layer (Vaswani et al. 2017) with positional encoding,
// post-norm like PyTorch's nn.TransformerEncoderLayer default, so parameter counts line up with it.
import { z } from 'zod';
import type { LayerKindDef, WeightSpec } from '../types.js';
import { fail, isResult, needSequence, ok, sequence, timeDim, width } from '../shapes.js';

export const selfAttentionParams = z.strictObject({
  heads: z.number().int().min(1).max(64).default(4),
  /** Width of the position-wise feed-forward layer. */
  feedForward: z.number().int().min(1).max(16384).default(128),
  dropout: z.number().min(0).max(0.95).default(0.1),
  /** Each step sees only itself and earlier steps (needed for language models). */
  causal: z.boolean().default(false),
  positionalEncoding: z.enum(['sinusoidal', 'learned', 'none']).default('sinusoidal'),
  /** Longest sequence a learned positional table covers. */
  maxLength: z.number().int().min(1).max(100_000).default(512),
});
export type SelfAttentionParams = z.output<typeof selfAttentionParams>;

function linear(name: string, inputs: number, outputs: number): WeightSpec[] {
  return [
    { name: `${name}/kernel`, shape: [inputs, outputs] },
    { name: `${name}/bias`, shape: [outputs] },
  ];
}

export const selfAttention: LayerKindDef<SelfAttentionParams> = {
  kind: 'self-attention',
  title: 'Self-attention',
  category: 'seq2seq',
  formula: 'softmax(QKᵀ/√d) V',
  doc: {
    what:
      'A Transformer block: every step attends to every other step of the same sequence (several ' +
      'heads at once), then a feed-forward layer; positions are added so order is known.',
    when:
      'To compare with recurrent layers, or on top of them. Turn on causal for language models so no ' +
      'step sees the future.',
    formula:
      'x + attention(x) then layer norm, then x + feed-forward(x) then layer norm; attention = softmax(Q ' +
      'Kᵀ / √(d/heads)) V per head.',
  },
  params: selfAttentionParams,
  inputs: [{ name: 'in', accepts: ['sequence'], label: 'sequence' }],
  outputs: [
    { name: 'out', kinds: ['sequence'], label: 'sequence' },
    { name: 'weights', kinds: ['weights'], label: 'weights' },
  ],
  inferShapes(p, inputs) {
    const input = needSequence(inputs, 'in', 'Self-attention');
    if (isResult(input)) return input;
    const d = width(input) ?? 0;
    if (d % p.heads !== 0) {
      return fail(
        'heads-mismatch',
        `Self-attention splits its ${d} input features into ${p.heads} heads, which needs ${d} to be a ` +
          `multiple of ${p.heads}. Change heads or the width before it.`,
        { field: 'heads' },
      );
    }
    const t = timeDim(input);
    // One attention map per head (what the dashboards and the playground show), not their average.
    return ok({ out: sequence(t, d), weights: { kind: 'weights', shape: ['batch', p.heads, t, t] } });
  },
  weights(p, inputs) {
    const d = width(inputs.in?.[0] ?? { kind: 'sequence', shape: [] }) ?? 0;
    const positional: WeightSpec[] =
      p.positionalEncoding === 'learned' ? [{ name: 'positions', shape: [p.maxLength, d] }] : [];
    return [
      ...positional,
      ...linear('query', d, d),
      ...linear('key', d, d),
      ...linear('value', d, d),
      ...linear('output', d, d),
      { name: 'norm1/gamma', shape: [d] },
      { name: 'norm1/beta', shape: [d] },
      ...linear('ffn1', d, p.feedForward),
      ...linear('ffn2', p.feedForward, d),
      { name: 'norm2/gamma', shape: [d] },
      { name: 'norm2/beta', shape: [d] },
    ];
  },
};
