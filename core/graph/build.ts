// Graphs built in code rather than drawn: the shapes the bench, the verify scripts and the tests train.
// They are wired exactly as the studio's templates draw them, so a figure measured on one of them says
// something about the models users build.
import type { Graph } from './types.js';

/** One block: its id, its kind (the catalog's) and its params. */
export type ChainBlock = [id: string, kind: string, params: Record<string, unknown>];

/** Blocks in a line, each block's `out` wired into the next one's `in` (wires e0, e1, …). */
export function chainGraph(blocks: ChainBlock[]): Graph {
  return {
    nodes: blocks.map(([id, kind, params]) => ({ id, kind, params })),
    edges: blocks.slice(1).map(([id], i) => ({
      id: `e${i}`,
      from: { node: blocks[i]![0], port: 'out' },
      to: { node: id, port: 'in' },
    })),
  };
}

export interface EncoderDecoderOptions {
  /** Tokens on both sides (one shared vocabulary, as the templates have). */
  vocabulary: number;
  /** Width of both embeddings. */
  dimension: number;
  /** The encoder and decoder blocks' params (`{ layer: { kind, params }, … }`). */
  encoder: Record<string, unknown>;
  decoder: Record<string, unknown>;
  /** The attention block's params; without it the decoder feeds the head directly. */
  attention?: Record<string, unknown>;
  /** Units of the tanh dense layer between [decoder; context] and the head (the templates': Luong's). */
  combine?: number;
}

/**
 * The templates' encoder–decoder: source → sourceEmbed → encoder, target → targetEmbed → decoder (started
 * from the encoder's state); with attention, the decoder's output queries the encoder's memory and
 * [decoder; context] (→ tanh dense `combine`) → `next`, a softmax head over the vocabulary.
 */
export function encoderDecoderGraph(o: EncoderDecoderOptions): Graph {
  const node = (id: string, kind: string, params: Record<string, unknown>) => ({ id, kind, params });
  const wire = (id: string, from: string, to: string, toPort = 'in', fromPort = 'out') => ({
    id,
    from: { node: from, port: fromPort },
    to: { node: to, port: toPort },
  });
  const embedding = { vocabularySize: o.vocabulary, dimension: o.dimension };
  const nodes = [
    node('source', 'input', { role: 'source' }),
    node('sourceEmbed', 'embedding', { ...embedding }),
    node('encoder', 'encoder', o.encoder),
    node('target', 'input', { role: 'target' }),
    node('targetEmbed', 'embedding', { ...embedding }),
    node('decoder', 'decoder', o.decoder),
  ];
  const edges = [
    wire('e1', 'source', 'sourceEmbed'),
    wire('e2', 'sourceEmbed', 'encoder'),
    wire('e3', 'target', 'targetEmbed'),
    wire('e4', 'targetEmbed', 'decoder'),
    wire('e5', 'encoder', 'decoder', 'state', 'state'),
  ];
  const head = node('next', 'head', { activation: 'softmax', units: o.vocabulary });
  if (!o.attention) return { nodes: [...nodes, head], edges: [...edges, wire('e6', 'decoder', 'next')] };
  const joined = o.combine === undefined ? 'join' : 'combine';
  return {
    nodes: [
      ...nodes,
      node('attention', 'attention', o.attention),
      node('join', 'concatenate', {}),
      ...(o.combine === undefined
        ? []
        : [node('combine', 'dense', { units: o.combine, activation: 'tanh' })]),
      head,
    ],
    edges: [
      ...edges,
      wire('e6', 'decoder', 'attention', 'query'),
      wire('e7', 'encoder', 'attention', 'memory', 'memory'),
      wire('e8', 'decoder', 'join'),
      wire('e9', 'attention', 'join', 'in', 'context'),
      ...(o.combine === undefined ? [] : [wire('e10', 'join', 'combine')]),
      wire('e11', joined, 'next'),
    ],
  };
}
