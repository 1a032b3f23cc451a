// What a block shows on the canvas, from a real template and core's validator.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getLayerKind } from '../../../../core/catalog/index.js';
import { asProjectDoc } from '../../../../renderer/src/model/doc.js';
import { analyse } from '../../../../renderer/src/model/analysis.js';
import { blockView, compactCount, formatShape } from '../../../../renderer/src/model/blockView.js';

const doc = asProjectDoc(
  JSON.parse(
    readFileSync(new URL('../../../../resources/templates/sentiment.json', import.meta.url), 'utf8'),
  ),
);

describe('block view', () => {
  it('shows the wrapped cell, labelled ports, the output shape and the parameter count', () => {
    const analysis = analyse(doc.graph, { task: 'classification' });
    const bilstm = doc.graph.nodes.find((n) => n.kind === 'bidirectional')!;
    const view = blockView(bilstm, analysis, getLayerKind);
    const inner = bilstm.params.layer as { params: { units: number } };
    expect(view.title).toBe('Bidirectional');
    expect(view.category).toBe('wrappers');
    expect(view.inner).toBe(`LSTM ${inner.params.units}`);
    expect(view.outputs.find((p) => p.name === 'out')?.shape).toBe(
      `[batch, time, ${2 * inner.params.units}]`,
    );
    expect(view.paramCount).toBe(analysis.paramCounts[bilstm.id]);
    expect(view.paramCount).toBeGreaterThan(0);
    expect(view.severity).toBeNull();
  });

  it('carries the validator message of a broken block', () => {
    const broken = structuredClone(doc.graph);
    broken.edges = broken.edges.filter((e) => e.to.node !== broken.nodes.find((n) => n.kind === 'head')!.id);
    const analysis = analyse(broken, { task: 'classification' });
    const head = broken.nodes.find((n) => n.kind === 'head')!;
    const view = blockView(head, analysis, getLayerKind);
    expect(view.severity).toBe('error');
    expect(view.problems[0]!.message).toMatch(/in/);
  });

  it('prints the key params and formula of the mode chosen (pooling mean: no scorer units)', () => {
    const analysis = analyse(doc.graph, { task: 'classification' });
    const pool = doc.graph.nodes.find((n) => n.kind === 'pooling')!;
    const attention = blockView(
      { ...pool, params: { mode: 'attention', units: 32 } },
      analysis,
      getLayerKind,
    );
    expect(attention.keyParams).toBe('units 32 · mode attention');
    const mean = blockView({ ...pool, params: { mode: 'mean', units: 32 } }, analysis, getLayerKind);
    expect(mean.keyParams).toBe('mode mean');
    expect(mean.formula).toBe('v = (1/T) Σ_t h_t');
  });

  it('formats shapes and counts compactly', () => {
    expect(formatShape({ kind: 'sequence', shape: ['batch', 'time', 256] })).toBe('[batch, time, 256]');
    expect(compactCount(999)).toBe('999');
    expect(compactCount(3096)).toBe('3.10k');
    expect(compactCount(49_664)).toBe('49.7k');
    expect(compactCount(1_234_567)).toBe('1.23M');
  });
});
