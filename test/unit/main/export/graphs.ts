// Small graphs covering the blocks and options the templates do not use (one-hot, Elman, stacks with
// residuals, reset-before GRU, bidirectional GRU/Elman with other merges, self-attention, mean/max pooling,
// dot and general attention) and the seq2seq and state-space options (stacked and bidirectional encoders,
// the bridge, stacked decoders, complex diagonal, learned step), so both exporters are checked on every kind.
import type { ProjectDoc } from '../../../../core/project/index.js';
import { planModel } from '../../../../main/export/plan.js';
import { randomWeights } from '../../../../main/export/weights.js';
import { TEMPLATE_NAMES, probeBatch, templateCase, type Case } from './helpers.js';

type N = [id: string, kind: string, params: Record<string, unknown>];
type E = [from: string, to: string];

function graph(nodes: N[], edges: E[]) {
  return {
    nodes: nodes.map(([id, kind, params]) => ({ id, kind, params })),
    edges: edges.map(([from, to], i) => {
      const [fn, fp] = from.split('.');
      const [tn, tp] = to.split('.');
      return { id: `e${i}`, from: { node: fn!, port: fp ?? 'out' }, to: { node: tn!, port: tp ?? 'in' } };
    }),
  };
}

/** `scale`: the random weights' range (±scale; 0.3 unless set). Wider weights make the outputs depend more
 * strongly on every block, so a wrong bridge or step shows above the tolerance instead of vanishing in a
 * near-uniform softmax. */
interface GraphSpec {
  task: ProjectDoc['task'];
  nodes: N[];
  edges: E[];
  scale?: number;
}

const WIDE = 0.8;

const GRAPHS: Record<string, GraphSpec> = {
  'onehot-stack-gru-mean': {
    task: 'classification',
    nodes: [
      ['tokens', 'input', { role: 'tokens' }],
      ['onehot', 'embedding', { vocabularySize: 12, oneHot: true }],
      [
        'deep',
        'stack',
        { layers: 3, residual: true, layer: { kind: 'gru', params: { units: 12, resetAfter: false } } },
      ],
      ['pool', 'pooling', { mode: 'mean' }],
      ['label', 'head', { activation: 'softmax', units: 3 }],
    ],
    edges: [
      ['tokens', 'onehot'],
      ['onehot', 'deep'],
      ['deep', 'pool'],
      ['pool', 'label'],
    ],
  },
  'bigru-selfattention-max': {
    task: 'classification',
    nodes: [
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: 16, dimension: 8 }],
      ['bigru', 'bidirectional', { merge: 'sum', layer: { kind: 'gru', params: { units: 8 } } }],
      ['mix', 'self-attention', { heads: 2, feedForward: 16, positionalEncoding: 'sinusoidal' }],
      ['pool', 'pooling', { mode: 'max' }],
      ['hidden', 'dense', { units: 6, activation: 'relu' }],
      ['label', 'head', { activation: 'sigmoid', units: 2 }],
    ],
    edges: [
      ['tokens', 'embed'],
      ['embed', 'bigru'],
      ['bigru', 'mix'],
      ['mix', 'pool'],
      ['pool', 'hidden'],
      ['hidden', 'label'],
    ],
  },
  'elman-bielman-vector': {
    task: 'classification',
    nodes: [
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: 16, dimension: 6 }],
      ['rnn', 'elman', { units: 7, activation: 'relu' }],
      [
        'birnn',
        'bidirectional',
        { merge: 'average', layer: { kind: 'elman', params: { units: 5, returnSequences: false } } },
      ],
      ['label', 'head', { activation: 'softmax', units: 3 }],
    ],
    edges: [
      ['tokens', 'embed'],
      ['embed', 'rnn'],
      ['rnn', 'birnn'],
      ['birnn', 'label'],
    ],
  },
  'causal-transformer-lm': {
    task: 'language-model',
    nodes: [
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: 16, dimension: 8 }],
      [
        'attend',
        'self-attention',
        { heads: 2, feedForward: 12, causal: true, positionalEncoding: 'learned', maxLength: 16 },
      ],
      ['lstm', 'lstm', { units: 8 }],
      ['both', 'add', {}],
      ['next', 'head', { activation: 'softmax', units: 16 }],
    ],
    edges: [
      ['tokens', 'embed'],
      ['embed', 'attend'],
      ['attend', 'lstm'],
      ['attend', 'both'],
      ['lstm', 'both'],
      ['both', 'next'],
    ],
  },
  'seq2seq-gru-classic-general': defaultScale(
    seq2seq(
      { layer: { kind: 'gru', params: { units: 8, resetAfter: false } } },
      { layer: { kind: 'gru', params: { units: 8, resetAfter: false } } },
      { score: 'general' },
    ),
  ),
  'seq2seq-lstm-dot': defaultScale(
    seq2seq(
      { layer: { kind: 'lstm', params: { units: 8 } } },
      { layer: { kind: 'lstm', params: { units: 8 } } },
      { score: 'dot', scaled: true },
    ),
  ),
  // Seq2seq options: bidirectional and stacked encoders, the bridge, stacked decoders.
  // Input dropout on both (one mask per sequence while training; train.py runs it, inference ignores it).
  'seq2seq-bilstm-bridge-additive': seq2seq(
    { layers: 1, bidirectional: true, layer: { kind: 'lstm', params: { units: 6, dropout: 0.2 } } },
    { layers: 1, layer: { kind: 'lstm', params: { units: 8, dropout: 0.1 } } },
    { score: 'additive', units: 5 },
  ),
  'seq2seq-stacked-gru-paired-dot': seq2seq(
    { layers: 2, layer: { kind: 'gru', params: { units: 8 } } },
    { layers: 2, layer: { kind: 'gru', params: { units: 8 } } },
    { score: 'dot' },
  ),
  // Two encoder layers, three decoder layers: every decoder layer starts from the top state, bridged
  // (10 -> 7 wide); an LSTM decoder after an Elman encoder bridges h and starts with c = 0.
  'seq2seq-stacked-bielman-to-lstm3-general': seq2seq(
    { layers: 2, bidirectional: true, layer: { kind: 'elman', params: { units: 5, activation: 'tanh' } } },
    { layers: 3, layer: { kind: 'lstm', params: { units: 7 } } },
    { score: 'general' },
  ),
  // Bidirectional reset-before GRU (4 + 4) into an 8-unit decoder: equal widths, no bridge.
  'seq2seq-biclassicgru-nobridge-dot': seq2seq(
    { layers: 1, bidirectional: true, layer: { kind: 'gru', params: { units: 4, resetAfter: false } } },
    { layers: 1, layer: { kind: 'gru', params: { units: 8, resetAfter: false } } },
    { score: 'dot', scaled: true },
  ),
  // Two encoder layers paired with two LSTM decoder layers through the bridge (each layer's h bridged; no
  // cell state from a GRU, so both start with c = 0).
  'seq2seq-stacked-bigru-to-lstm2-paired-bridge': seq2seq(
    { layers: 2, bidirectional: true, layer: { kind: 'gru', params: { units: 5 } } },
    { layers: 2, layer: { kind: 'lstm', params: { units: 6 } } },
    { score: 'additive', units: 4 },
  ),
  // Equal widths, no bridge: an LSTM decoder after a GRU encoder starts from the GRU's h and c = 0.
  'seq2seq-gru-to-lstm-nobridge-general': seq2seq(
    { layers: 1, layer: { kind: 'gru', params: { units: 8 } } },
    { layers: 1, layer: { kind: 'lstm', params: { units: 8 } } },
    { score: 'general' },
  ),
  // Paired LSTM levels through the bridge: h and c of each encoder level (2 x 5 wide) mapped to 6.
  'seq2seq-stacked-bilstm-to-lstm2-paired-bridge': seq2seq(
    { layers: 2, bidirectional: true, layer: { kind: 'lstm', params: { units: 5 } } },
    { layers: 2, layer: { kind: 'lstm', params: { units: 6 } } },
    { score: 'general' },
  ),
  // A plain LSTM block's state (its one layer) starting both layers of a
  // GRU decoder through the bridge (6 -> 8).
  'seq2seq-lstm-block-state-to-gru2-bridge': {
    task: 'seq2seq',
    nodes: [
      ['source', 'input', { role: 'source' }],
      ['sourceEmbed', 'embedding', { vocabularySize: 14, dimension: 6 }],
      ['reader', 'lstm', { units: 6 }],
      ['target', 'input', { role: 'target' }],
      ['targetEmbed', 'embedding', { vocabularySize: 14, dimension: 6 }],
      ['decoder', 'decoder', { layers: 2, layer: { kind: 'gru', params: { units: 8 } } }],
      ['next', 'head', { activation: 'softmax', units: 14 }],
    ],
    edges: [
      ['source', 'sourceEmbed'],
      ['sourceEmbed', 'reader'],
      ['target', 'targetEmbed'],
      ['targetEmbed', 'decoder'],
      ['reader.state', 'decoder.state'],
      ['decoder', 'next'],
    ],
    scale: WIDE,
  },
  // A decoder started from another decoder's state: both have two layers, so layer i starts from layer i.
  'seq2seq-decoder-chain-paired': {
    task: 'seq2seq',
    nodes: [
      ['source', 'input', { role: 'source' }],
      ['sourceEmbed', 'embedding', { vocabularySize: 14, dimension: 6 }],
      ['encoder', 'encoder', { layers: 2, layer: { kind: 'lstm', params: { units: 8 } } }],
      ['target', 'input', { role: 'target' }],
      ['targetEmbed', 'embedding', { vocabularySize: 14, dimension: 6 }],
      ['draft', 'decoder', { layers: 2, layer: { kind: 'lstm', params: { units: 8 } } }],
      ['refine', 'decoder', { layers: 2, layer: { kind: 'lstm', params: { units: 8 } } }],
      ['next', 'head', { activation: 'softmax', units: 14 }],
    ],
    edges: [
      ['source', 'sourceEmbed'],
      ['sourceEmbed', 'encoder'],
      ['target', 'targetEmbed'],
      ['targetEmbed', 'draft'],
      ['encoder.state', 'draft.state'],
      ['draft', 'refine'],
      ['draft.state', 'refine.state'],
      ['refine', 'next'],
    ],
    scale: WIDE,
  },
  // An encoder whose state nothing reads: its memory (two bidirectional
  // reset-after GRU levels) feeds a classifier.
  'encoder-memory-classifier': {
    task: 'classification',
    nodes: [
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: 16, dimension: 6 }],
      [
        'encoder',
        'encoder',
        { layers: 2, bidirectional: true, layer: { kind: 'gru', params: { units: 4 } } },
      ],
      ['pool', 'pooling', { mode: 'attention', units: 5 }],
      ['label', 'head', { activation: 'softmax', units: 3 }],
    ],
    edges: [
      ['tokens', 'embed'],
      ['embed', 'encoder'],
      ['encoder.memory', 'pool'],
      ['pool', 'label'],
    ],
    scale: WIDE,
  },
  // State-space options: complex diagonal (per-step head), learned step on real and complex diagonals.
  'ssm-complex-tagger': {
    task: 'tagging',
    nodes: [
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: 16, dimension: 6 }],
      ['ssm', 'state-space', { stateSize: 5, diagonal: 'complex' }],
      ['tag', 'head', { activation: 'softmax', units: 4 }],
    ],
    edges: [
      ['tokens', 'embed'],
      ['embed', 'ssm'],
      ['ssm', 'tag'],
    ],
    scale: WIDE,
  },
  'ssm-learned-step-real-complex-mean': {
    task: 'classification',
    nodes: [
      ['tokens', 'input', { role: 'tokens' }],
      ['embed', 'embedding', { vocabularySize: 16, dimension: 6 }],
      ['real', 'state-space', { stateSize: 4, learnStep: true }],
      ['complex', 'state-space', { stateSize: 6, diagonal: 'complex', learnStep: true }],
      ['pool', 'pooling', { mode: 'mean' }],
      ['label', 'head', { activation: 'softmax', units: 3 }],
    ],
    edges: [
      ['tokens', 'embed'],
      ['embed', 'real'],
      ['real', 'complex'],
      ['complex', 'pool'],
      ['pool', 'label'],
    ],
    scale: WIDE,
  },
};

/** Source and target embeddings, an encoder, a decoder started from its state, attention, a head. */
function seq2seq(
  encoder: Record<string, unknown>,
  decoder: Record<string, unknown>,
  attention: Record<string, unknown>,
): GraphSpec {
  return {
    task: 'seq2seq',
    scale: WIDE,
    nodes: [
      ['source', 'input', { role: 'source' }],
      ['sourceEmbed', 'embedding', { vocabularySize: 14, dimension: 6 }],
      ['encoder', 'encoder', encoder],
      ['target', 'input', { role: 'target' }],
      ['targetEmbed', 'embedding', { vocabularySize: 14, dimension: 6 }],
      ['decoder', 'decoder', decoder],
      ['attention', 'attention', attention],
      ['join', 'concatenate', {}],
      ['next', 'head', { activation: 'softmax', units: 14 }],
    ],
    edges: [
      ['source', 'sourceEmbed'],
      ['sourceEmbed', 'encoder'],
      ['target', 'targetEmbed'],
      ['targetEmbed', 'decoder'],
      ['encoder.state', 'decoder.state'],
      ['decoder', 'attention.query'],
      ['encoder.memory', 'attention.memory'],
      ['decoder', 'join'],
      ['attention.context', 'join'],
      ['join', 'next'],
    ],
  };
}

/** The same graph with the random weights in the default range. */
function defaultScale({ scale: _scale, ...spec }: GraphSpec): GraphSpec {
  return spec;
}

export const GRAPH_NAMES = Object.keys(GRAPHS);

export function graphCase(name: string, seed = 5): Case {
  const spec = GRAPHS[name]!;
  const base = templateCase('sentiment').project;
  const { dataset: _dataset, ...rest } = base;
  const project: ProjectDoc = { ...rest, name, task: spec.task, graph: graph(spec.nodes, spec.edges) };
  const plan = planModel(project.graph);
  return { name, project, plan, weights: randomWeights(plan, seed, spec.scale), batch: probeBatch(plan) };
}

/** Every template, and the graphs that cover the remaining blocks: what each exporter is checked on. */
export const EXPORT_CASES: [name: string, make: () => Case][] = [
  ...TEMPLATE_NAMES.map((n): [string, () => Case] => [n, () => templateCase(n)]),
  ...GRAPH_NAMES.map((n): [string, () => Case] => [n, () => graphCase(n)]),
];
