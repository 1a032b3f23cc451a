// The model graph as the user draws it: blocks (nodes) joined by wires (edges) from an output port to an
// input port. Plain data, so it can be saved, diffed, validated without tfjs and compiled by the engine.

/** A dimension: a number, or a symbolic size known only when data flows (`batch`, `time`, `source`). */
export type Dim = number | 'batch' | 'time' | 'source';

/** What flows through a port, in the words the canvas shows on it. */
export type PortKind =
  | 'tokens' // [batch, time] integer ids
  | 'sequence' // [batch, time, features]
  | 'vector' // [batch, features]
  | 'state' // recurrent state handed from an encoder to a decoder: [batch, units] (LSTM: h and c)
  | 'memory' // a sequence attended over: [batch, source, features]
  | 'weights'; // attention weights: [batch, time, source] or [batch, time]

export interface PortShape {
  kind: PortKind;
  shape: Dim[];
  /** A `state` from LSTM layers: it carries the cell state c beside h (a decoder's bridge maps both). */
  cell?: true;
}

export interface GraphNode {
  /** Stable id, also the prefix of the node's weight names (`lstm1/kernel`). */
  id: string;
  /** Catalog kind id, e.g. `lstm`. */
  kind: string;
  /** Optional user label shown on the canvas; the id is used when absent. */
  label?: string;
  /** Parameters, validated by the kind's zod schema (defaults filled by it). */
  params: Record<string, unknown>;
}

export interface PortRef {
  node: string;
  port: string;
}

export interface GraphEdge {
  id: string;
  from: PortRef; // an output port
  to: PortRef; // an input port
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** A problem found in a graph or project, addressed precisely enough for the UI to point at it. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable machine code, e.g. `cycle`, `shape-mismatch`. */
  code: string;
  /** What is wrong and how to fix it, in the user's words. */
  message: string;
  node?: string;
  port?: string;
  edge?: string;
  /** A params field (`units`) or a project path (`training.batchSize`). */
  field?: string;
}
