// The model summary: per node its kind, output shapes and parameter count (the host's project.summary
// and the CLI's `summary`), and a plain-text table like Keras' model.summary().
import type { Dim } from './types.js';
import type { GraphInference } from './infer.js';

export interface NodeSummary {
  node: string;
  kind: string;
  outputs: Record<string, Dim[]>;
  params: number;
  /**
   * How many more parameters PyTorch's nn.RNN/LSTM/GRU has for this block: its second bias vector
   * (bias_hh) per layer and direction, which the Keras layout folds into one. 0 for a GRU with
   * resetAfter (bias [2, 3H], like PyTorch) and for non-recurrent blocks. A decoder's bridge is a plain
   * dense layer (one bias in both layouts), so it adds nothing.
   */
  torchExtraBias: number;
}

const RECURRENT_BLOCKS = new Set(['elman', 'lstm', 'gru', 'bidirectional', 'stack', 'encoder', 'decoder']);

export function summarize(inference: GraphInference): NodeSummary[] {
  return inference.order.map((id) => {
    const n = inference.nodes[id]!;
    const outputs: Record<string, Dim[]> = {};
    for (const [port, shape] of Object.entries(n.outputs)) outputs[port] = shape.shape;
    const torchExtraBias = RECURRENT_BLOCKS.has(n.kind)
      ? n.weights
          .filter((w) => /(^|\/)bias$/.test(w.name) && !w.name.startsWith('bridge/') && w.shape.length === 1)
          .reduce((a, w) => a + w.shape[0]!, 0)
      : 0;
    return { node: id, kind: n.kind, outputs, params: n.paramCount, torchExtraBias };
  });
}

const shapeText = (dims: Dim[]) => `[${dims.join(', ')}]`;

/** Fixed-width table: block, kind, output shape per port, parameters, and the total. */
export function formatSummary(rows: NodeSummary[]): string {
  const lines: string[][] = [['block', 'kind', 'output', 'params']];
  for (const r of rows) {
    const ports = Object.entries(r.outputs);
    if (ports.length === 0) lines.push([r.node, r.kind, '(not inferred)', String(r.params)]);
    ports.forEach(([port, dims], i) => {
      const out = `${port} ${shapeText(dims)}`;
      lines.push(i === 0 ? [r.node, r.kind, out, r.params.toLocaleString('en-US')] : ['', '', out, '']);
    });
  }
  const widths = [0, 1, 2, 3].map((c) => Math.max(...lines.map((l) => l[c]!.length)));
  const render = (l: string[]) =>
    l
      .map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  const total = rows.reduce((a, r) => a + r.params, 0);
  const extra = rows.reduce((a, r) => a + r.torchExtraBias, 0);
  const footer = [`total parameters: ${total.toLocaleString('en-US')}`];
  if (extra > 0) {
    footer.push(
      `(PyTorch counts ${(total + extra).toLocaleString('en-US')}: its RNN/LSTM/GRU layers keep a second ` +
        `bias vector, +${extra.toLocaleString('en-US')}; the studio uses the Keras layout with one)`,
    );
  }
  return [render(lines[0]!), rule, ...lines.slice(1).map(render), rule, ...footer].join('\n');
}
