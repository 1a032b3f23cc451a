// The graph model's public face: types, zod schema, operations, inference, validation, summary.
export type * from './types.js';
export { GraphSchema, GraphNodeSchema, GraphEdgeSchema, NodeIdSchema, MAX_NODES, MAX_EDGES } from './schema.js';
export { topologicalOrder, freshId, addNode, connect, removeNode, wrapNode, unwrapNode, type TopoResult } from './ops.js';
export { inferGraph, type GraphInference, type NodeInference } from './infer.js';
export { analyzeGraph, validateGraph, type GraphAnalysis, type ValidationContext } from './validate.js';
export { summarize, formatSummary, type NodeSummary } from './summary.js';
export { fitGraphToData, type FitChange } from './fit.js';
