// The graph model's public face: types, zod schema, operations, inference, validation, summary.
export type * from './types.js';
export {
  GraphSchema,
  GraphNodeSchema,
  GraphEdgeSchema,
  NodeIdSchema,
  MAX_NODES,
  MAX_EDGES,
} from './schema.js';
export { topologicalOrder, describeCycle, type TopoResult } from './order.js';
export {
  isWrapper,
  isWrappable,
  freshId,
  freshEdgeId,
  addNode,
  removeNodes,
  removeEdges,
  setParams,
  setLabel,
  wrapNode,
  unwrapNode,
  copyNodes,
  pasteNodes,
  type WrapResult,
  type SubGraph,
} from './ops.js';
export { connect, type ConnectResult, type ConnectRefusalCode } from './connect.js';
export { inferGraph, portKindProblem, type GraphInference, type NodeInference } from './infer.js';
export { analyzeGraph, validateGraph, type GraphAnalysis, type ValidationContext } from './validate.js';
export { summarize, formatSummary, type NodeSummary } from './summary.js';
export { fitGraphToData, type FitChange } from './fit.js';
export { chainGraph, encoderDecoderGraph, type ChainBlock, type EncoderDecoderOptions } from './build.js';
