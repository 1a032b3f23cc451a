// Summary parameter counts equal PyTorch's for the same architecture (scripts/reference/param_counts.py),
// except exactly where the studio's Keras layout differs on purpose: one recurrent bias vector where
// PyTorch keeps two (b_ih and b_hh). A GRU with resetAfter keeps both, like PyTorch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeGraph, summarize } from '../../../../core/graph/index.js';
import { parseTemplate } from '../../../../core/project/index.js';
import type { Graph } from '../../../../core/graph/types.js';

const root = join(import.meta.dirname, '../../../..');
interface Reference {
  torch_total: number;
  torch_extra_bias_total: number;
  nodes: Record<string, { kind: string; torch: number; torch_extra_bias: number }>;
}
const reference = JSON.parse(readFileSync(join(root, 'test/fixtures/project/param_counts.json'), 'utf8')) as {
  graphs: Record<string, Reference>;
};
const extraGraphs = JSON.parse(
  readFileSync(join(root, 'test/fixtures/project/reference-graphs.json'), 'utf8'),
) as { name: string; graph: Graph }[];

function graphFor(name: string): Graph {
  const [source, id] = name.split(':') as [string, string];
  if (source === 'reference') return extraGraphs.find((g) => g.name === id)!.graph;
  const parsed = parseTemplate(
    JSON.parse(readFileSync(join(root, 'resources/templates', `${id}.json`), 'utf8')),
  );
  if (!parsed.ok) throw new Error(`template ${id}`);
  return parsed.template.project.graph;
}

describe('parameter counts against PyTorch', () => {
  it('covers every template and every layer kind', () => {
    const names = Object.keys(reference.graphs);
    expect(names.filter((n) => n.startsWith('template:'))).toHaveLength(8);
    const kinds = new Set(
      Object.values(reference.graphs).flatMap((g) => Object.values(g.nodes).map((n) => n.kind)),
    );
    expect(kinds.size).toBe(18);
  });

  it.each(Object.keys(reference.graphs))('%s: every block equals PyTorch minus its second bias', (name) => {
    const ref = reference.graphs[name]!;
    const { inference, diagnostics } = analyzeGraph(graphFor(name));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const [id, node] of Object.entries(ref.nodes)) {
      expect(inference.nodes[id]?.paramCount, `${name} ${id} (${node.kind})`).toBe(
        node.torch - node.torch_extra_bias,
      );
      const mergedBias = ['lstm', 'elman'].includes(node.kind);
      if (mergedBias) expect(node.torch_extra_bias, `${id}: PyTorch's b_hh`).toBeGreaterThan(0);
    }
    expect(inference.totalParams).toBe(ref.torch_total - ref.torch_extra_bias_total);
    // The summary states the difference per block, and it is exactly PyTorch's second bias.
    for (const row of summarize(inference))
      expect(row.torchExtraBias, `${name} ${row.node}`).toBe(ref.nodes[row.node]!.torch_extra_bias);
  });
});
