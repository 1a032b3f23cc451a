// What a block on the canvas shows: its kind and group colour, key parameters, formula hint, labelled
// ports with the shape that leaves each output, its parameter count and the validator's problems.
// Built from the document plus the analysis (shapes, counts, diagnostics) so the canvas stays dumb.
import type { Diagnostic, GraphNode, PortShape } from '../../../core/graph/types.js';
import type { Category, LayerKindDef } from '../../../core/catalog/types.js';
import { formulaOf, paramText } from '../../../core/catalog/index.js';

export interface PortView {
  name: string;
  label: string;
  /** `[batch, time, 256]` once inference knows it. */
  shape?: string;
}

export interface BlockView {
  id: string;
  kind: string;
  title: string;
  label: string;
  category: Category | 'unknown';
  formula: string;
  keyParams: string;
  inputs: PortView[];
  outputs: PortView[];
  paramCount: number | null;
  problems: Diagnostic[];
  severity: 'error' | 'warning' | null;
  /** For Bidirectional/Stack: the cell they hold, e.g. `LSTM 128`. */
  inner?: string;
}

export interface Analysis {
  shapes: Record<string, Record<string, PortShape>>;
  paramCounts: Record<string, number>;
  diagnostics: Diagnostic[];
}

const KEY_PARAMS = [
  'role',
  'vocabularySize',
  'dimension',
  'units',
  'layers',
  'merge',
  'mode',
  'score',
  'heads',
  'activation',
  'rate',
];
const SHORT: Record<string, string> = { vocabularySize: 'vocab', dimension: 'dim', returnSequences: 'seq' };

export function formatShape(shape: PortShape | undefined): string | undefined {
  return shape ? `[${shape.shape.join(', ')}]` : undefined;
}

/** Key params as the block prints them, leaving out those its mode ignores (pooling mean has no units). */
function summarize(kind: string, params: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of KEY_PARAMS) {
    const value = params[key];
    if (value === undefined || typeof value === 'object') continue;
    const when = paramText(kind, key)?.shownWhen;
    if (
      when &&
      params[when.field] !== undefined &&
      !when.is.includes(params[when.field] as string | number | boolean)
    )
      continue;
    parts.push(`${SHORT[key] ?? key} ${String(value)}`);
    if (parts.length === 3) break;
  }
  return parts.join(' · ');
}

function innerOf(node: GraphNode, lookup: (kind: string) => LayerKindDef | undefined): string | undefined {
  const layer = node.params.layer as { kind?: string; params?: Record<string, unknown> } | undefined;
  if (!layer?.kind) return undefined;
  const title = lookup(layer.kind)?.title ?? layer.kind;
  const units = layer.params?.units;
  return units !== undefined ? `${title} ${String(units)}` : title;
}

export function blockView(
  node: GraphNode,
  analysis: Analysis,
  lookup: (kind: string) => LayerKindDef | undefined,
): BlockView {
  const def = lookup(node.kind);
  const problems = analysis.diagnostics.filter((d) => d.node === node.id);
  const outputs = analysis.shapes[node.id] ?? {};
  const severity = problems.some((p) => p.severity === 'error')
    ? 'error'
    : problems.length
      ? 'warning'
      : null;
  const inner = innerOf(node, lookup);
  const extra = node.kind === 'stack' ? `${String(node.params.layers ?? '')}×` : '';
  return {
    id: node.id,
    kind: node.kind,
    title: def?.title ?? node.kind,
    label: node.label ?? node.id,
    category: def?.category ?? 'unknown',
    formula: def ? formulaOf(def, node.params).hint : '',
    keyParams: summarize(node.kind, node.params),
    inputs: (def?.inputs ?? []).map((p) => ({ name: p.name, label: p.label })),
    outputs: (def?.outputs ?? []).map((p) => ({
      name: p.name,
      label: p.label,
      shape: formatShape(outputs[p.name]),
    })),
    paramCount: analysis.paramCounts[node.id] ?? null,
    problems,
    severity,
    ...(inner ? { inner: `${extra}${inner}` } : {}),
  };
}

/** 1234567 -> "1.23M", so counts fit on a block. */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)}k`;
  return `${(n / 1_000_000).toFixed(2)}M`;
}
