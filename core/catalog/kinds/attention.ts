// Attention over a memory (Bahdanau additive; Luong dot and general), placed after the decoder as Luong
// et al. (2015) do: each decoder step (query) scores every memory step, softmax over the source gives
// weights, and the context is the weighted sum of memory. Padding in the source is masked.
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { describe, fail, first, isResult, needSequence, ok, sequence, timeDim, width } from '../shapes.js';

export const attentionParams = z.strictObject({
  score: z.enum(['additive', 'dot', 'general']).default('additive'),
  /** Size of the additive score's hidden layer (additive only). */
  units: z.number().int().min(1).max(4096).default(64),
  /** Divide dot scores by √d (dot only). */
  scaled: z.boolean().default(false),
});
export type AttentionParams = z.output<typeof attentionParams>;

export const attention: LayerKindDef<AttentionParams> = {
  kind: 'attention',
  title: 'Attention',
  category: 'seq2seq',
  formula: 'c_t = Σ_s softmax(score(h_t, m_s)) m_s',
  doc: {
    what:
      'Lets every output step look back at the whole source: it scores each memory step against the ' +
      'query, turns the scores into weights and returns the weighted sum (the context).',
    when:
      'Encoder–decoders on anything longer than a few tokens; the weights are shown as a heatmap of ' +
      'which source token each output used.',
    formula:
      'additive: vᵀ tanh(W q + U m); dot: qᵀ m; general: qᵀ W m. Weights = softmax over source ' +
      'steps; ' +
      'context = Σ weight × memory.',
  },
  formulaFor: (p) => ({
    hint: {
      additive: 'c_t = Σ_s softmax(vᵀ tanh(W h_t + U m_s)) m_s',
      dot: p.scaled ? 'c_t = Σ_s softmax(h_tᵀ m_s / √d) m_s' : 'c_t = Σ_s softmax(h_tᵀ m_s) m_s',
      general: 'c_t = Σ_s softmax(h_tᵀ W m_s) m_s',
    }[p.score],
    text:
      {
        additive: 'Additive score (Bahdanau): vᵀ tanh(W q + U m)',
        dot: `Dot score (Luong)${p.scaled ? ', divided by √d' : ''}: qᵀ m`,
        general: 'General score (Luong): qᵀ W m',
      }[p.score] + '. Weights = softmax over source steps; context = Σ weight × memory.',
  }),
  params: attentionParams,
  inputs: [
    { name: 'query', accepts: ['sequence'], label: 'query' },
    { name: 'memory', accepts: ['memory', 'sequence'], label: 'memory' },
  ],
  outputs: [
    { name: 'context', kinds: ['sequence'], label: 'context' },
    { name: 'weights', kinds: ['weights'], label: 'weights' },
  ],
  inferShapes(p, inputs) {
    const query = needSequence(inputs, 'query', 'Attention');
    if (isResult(query)) return query;
    const memory = first(inputs, 'memory');
    if (!memory) {
      return fail(
        'attention-without-memory',
        'Attention has nothing to attend to. Wire an Encoder\'s "memory" output into its "memory" input.',
        { port: 'memory' },
      );
    }
    const mem = needSequence(inputs, 'memory', 'Attention memory');
    if (isResult(mem)) return mem;
    const q = width(query) ?? 0;
    const m = width(mem) ?? 0;
    if (p.score === 'dot' && q !== m) {
      return fail(
        'shape-mismatch',
        `Dot attention needs query and memory of the same size, got ${describe(query)} and ` +
          `${describe(mem)}. Use score "general" or "additive", or match the units.`,
        { field: 'score' },
      );
    }
    return ok({
      context: sequence(timeDim(query), m),
      weights: { kind: 'weights', shape: ['batch', timeDim(query), timeDim(mem)] },
    });
  },
  weights(p, inputs) {
    const q = width(inputs.query?.[0] ?? { kind: 'sequence', shape: [] }) ?? 0;
    const m = width(inputs.memory?.[0] ?? { kind: 'sequence', shape: [] }) ?? 0;
    if (p.score === 'dot') return [];
    if (p.score === 'general') return [{ name: 'kernel', shape: [q, m] }];
    return [
      { name: 'query_kernel', shape: [q, p.units] },
      { name: 'memory_kernel', shape: [m, p.units] },
      { name: 'score_vector', shape: [p.units] },
    ];
  },
};
