// What the tfjs topology builder hands to the functions that lay out one block (tfjs/seq2seq.ts).
import type { PlanNode } from '../plan.js';
import type { Json } from './recurrentConfig.js';

export type { Json };

/** [layer name, node index, tensor index, kwargs] as in Keras' inbound_nodes. */
export type Ref = [string, number, number, Json];

export interface TopologyContext {
  /** Adds a layer called once on `inbound` (null: an input layer). */
  add(name: string, className: string, config: Json, inbound: Ref[] | null): void;
  /** Adds a layer called on each list in turn, sharing its weights (call i is node index i). */
  addShared(name: string, className: string, config: Json, inbounds: Ref[][]): void;
  /** The refs of what is wired into `port` of `node`. */
  from(node: PlanNode, port?: string): Ref[];
  /** Studio weight name -> tfjs weight name. */
  weightNames: Map<string, string>;
  /** Custom classes used. */
  custom: Set<string>;
  /** Whether anything reads `port` of `node`. */
  wired(node: PlanNode, port: string): boolean;
  /** tfjs refs of each studio output port, by `${node}.${port}`. */
  refs: Map<string, Ref[]>;
  /** Every layer's final state ([h] or [h, c] refs) of encoders and decoders, by block id. */
  layerStates: Map<string, Ref[][]>;
}

export const ref = (name: string, index = 0, node = 0): Ref => [name, node, index, {}];
