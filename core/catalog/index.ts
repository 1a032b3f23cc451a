// The layer catalog: every block a user can drag, in ONE explicit list (palette order within each group).
// Everything else (palette, inspector, validator, engine, exporters) looks kinds up here.
import type { InputShapes, LayerKindDef, WeightSpec } from './types.js';
import { countWeights } from './shapes.js';
import { zodProblems, type FieldProblem } from './zod-messages.js';
import { input } from './kinds/input.js';
import { embedding } from './kinds/embedding.js';
import { elman } from './kinds/elman.js';
import { lstm } from './kinds/lstm.js';
import { gru } from './kinds/gru.js';
import { stateSpace } from './kinds/state-space.js';
import { bidirectional } from './kinds/bidirectional.js';
import { stack } from './kinds/stack.js';
import { encoder } from './kinds/encoder.js';
import { decoder } from './kinds/decoder.js';
import { attention } from './kinds/attention.js';
import { selfAttention } from './kinds/self-attention.js';
import { pooling } from './kinds/pooling.js';
import { dense } from './kinds/dense.js';
import { head } from './kinds/head.js';
import { dropout } from './kinds/dropout.js';
import { add, concatenate } from './kinds/merge.js';

/** Every kind, grouped by palette category in build order (UX.md). */
export const catalog: readonly LayerKindDef[] = [
  input,
  embedding,
  elman,
  lstm,
  gru,
  stateSpace,
  bidirectional,
  stack,
  encoder,
  decoder,
  attention,
  selfAttention,
  pooling,
  dense,
  head,
  dropout,
  concatenate,
  add,
] as unknown as readonly LayerKindDef[];

const byKind = new Map(catalog.map((def) => [def.kind, def]));

export const LAYER_KINDS: readonly string[] = catalog.map((def) => def.kind);

export function getLayerKind(kind: string): LayerKindDef | undefined {
  return byKind.get(kind);
}

export type ParseParamsResult =
  { ok: true; params: Record<string, unknown> } | { ok: false; problems: FieldProblem[] };

/**
 * Validates raw params with the kind's schema and fills defaults; problems name the field
 * (`layer.params.units`).
 */
export function parseParams(kind: string, raw: unknown): ParseParamsResult {
  const def = byKind.get(kind);
  if (!def) {
    return {
      ok: false,
      problems: [
        { field: 'kind', message: `Unknown block kind "${kind}". Known kinds: ${LAYER_KINDS.join(', ')}.` },
      ],
    };
  }
  const result = def.params.safeParse(raw ?? {});
  if (result.success) return { ok: true, params: result.data };
  return { ok: false, problems: zodProblems(result.error) };
}

/** The default params of a kind (what a freshly dropped block gets). */
export function defaultParams(kind: string): Record<string, unknown> {
  const result = parseParams(kind, {});
  if (!result.ok) throw new Error(`catalog: kind "${kind}" has no valid defaults`);
  return result.params;
}

/** The formula for a block as set now: its mode's own when the kind has modes, else the kind's. */
export function formulaOf(def: LayerKindDef, rawParams: unknown): { hint: string; text: string } {
  const fallback = { hint: def.formula, text: def.doc.formula };
  if (!def.formulaFor) return fallback;
  const parsed = parseParams(def.kind, rawParams);
  return parsed.ok ? def.formulaFor(parsed.params) : fallback;
}

/** Weights of a node in Keras layout, given parsed params and the shapes at its inputs. */
export function weightsOf(
  def: LayerKindDef,
  params: Record<string, unknown>,
  inputs: InputShapes,
): WeightSpec[] {
  return def.weights(params, inputs);
}

/** Trainable parameter count: the sum of the sizes of its weights. */
export function paramCount(def: LayerKindDef, params: Record<string, unknown>, inputs: InputShapes): number {
  return countWeights(def.weights(params, inputs));
}

export type * from './types.js';
export { CATEGORY_ORDER, CATEGORY_TITLES } from './types.js';
export { zodProblems, fieldPath, describeIssue, type FieldProblem } from './zod-messages.js';
export { paramText, paramTexts, humanize, PARAM_TEXT, type FieldText } from './field-text.js';
export { RECURRENT_KINDS, GATES, type RecurrentKind } from './recurrent.js';
