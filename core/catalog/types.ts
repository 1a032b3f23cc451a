// The contract every layer kind fulfils (after Keras' layer contract): validate params, say which ports
// it has, infer output shapes from input shapes, list its weights (Keras/tfjs layout) and explain itself
// to the user. Pure data and functions, so the UI validates on every edit without tfjs.
import type { z } from 'zod';
import type { Dim, PortKind, PortShape } from '../graph/types.js';

/** Palette groups, in the order a model is built (UX.md). */
export type Category = 'inputs' | 'recurrent' | 'wrappers' | 'seq2seq' | 'pooling-heads' | 'utilities';

export const CATEGORY_ORDER: Category[] = [
  'inputs',
  'recurrent',
  'wrappers',
  'seq2seq',
  'pooling-heads',
  'utilities',
];

export const CATEGORY_TITLES: Record<Category, string> = {
  inputs: 'Inputs & embeddings',
  recurrent: 'Recurrent cells',
  wrappers: 'Wrappers',
  seq2seq: 'Sequence-to-sequence',
  'pooling-heads': 'Pooling & heads',
  utilities: 'Utilities',
};

export interface InputPortDef {
  name: string;
  /** What may be wired in. */
  accepts: PortKind[];
  /** An unconnected optional port is fine; a required one is a `dangling-port` error. */
  optional?: boolean;
  /** Several wires may end here (concatenate, add); otherwise at most one. */
  multiple?: boolean;
  /** What the canvas prints on the port. */
  label: string;
}

export interface OutputPortDef {
  name: string;
  /** What may come out (which one depends on params, e.g. returnSequences). */
  kinds: PortKind[];
  label: string;
}

/** Shapes arriving at each input port, one per incoming wire (several only for `multiple` ports). */
export type InputShapes = Record<string, PortShape[]>;

/** Shapes leaving each output port. A port missing here is unused for these params (e.g. no weights). */
export type OutputShapes = Record<string, PortShape>;

/** What the graph knows of the data, so shapes that come from it (features, vocabulary) can be checked. */
export interface DataFacts {
  task?: string;
  vocabularySize?: number;
  features?: number;
  /** Classes, tags or regression targets: what the head's `units` must equal. */
  headUnits?: number;
}

/** A problem found while inferring one node, before the validator adds the node id. */
export interface LayerProblem {
  code: string;
  message: string;
  port?: string;
  field?: string;
}

export type InferResult = { ok: true; outputs: OutputShapes } | { ok: false; problem: LayerProblem };

/** One weight tensor, named as the engine names it after the node id: `${nodeId}/${name}`. */
export interface WeightSpec {
  name: string;
  shape: number[];
}

export interface LayerDoc {
  /** What it is, in a sentence or two. */
  what: string;
  /** When to reach for it. */
  when: string;
  /** Its formula in words. */
  formula: string;
}

export interface LayerKindDef<P = Record<string, unknown>> {
  kind: string;
  title: string;
  category: Category;
  /** One-line hint printed on the block, e.g. `h = tanh(Wx + Uh + b)`. */
  formula: string;
  /**
   * The hint and formula text for these params, where they change with a mode (pooling mean vs attention).
   */
  formulaFor?(params: P): { hint: string; text: string };
  doc: LayerDoc;
  /** Zod schema with defaults: `params.parse({})` gives the default block. */
  params: z.ZodType<P>;
  inputs: InputPortDef[];
  outputs: OutputPortDef[];
  /** Output shapes from params and input shapes (only ports that are wired appear in `inputs`). */
  inferShapes(params: P, inputs: InputShapes, data: DataFacts): InferResult;
  /** Weights, in the tfjs-layers/Keras layout, for inputs that inferShapes accepted. */
  weights(params: P, inputs: InputShapes): WeightSpec[];
}

export type { Dim, PortKind, PortShape };
